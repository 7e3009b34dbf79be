export { WHEN_MAX_DEPTH, WHEN_MAX_LENGTH, type CompileWhenResult, type WhenAst, type WhenOperator, type WhenScope } from './ast';
export { compileWhen } from './compile';
export { evaluateWhen } from './evaluate';
export { testsStepStatus } from './step-status';
