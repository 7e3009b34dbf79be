export { WHEN_MAX_DEPTH, WHEN_MAX_LENGTH, type CompileWhenResult, type WhenAst, type WhenOperator, type WhenScope } from './ast';
export { compileWhen, parseWhen } from './compile';
export { evaluateWhen, evaluateWhenWithin, type WhenOutcome } from './evaluate';
export { WHEN_LIMITS, WORK_COSTS } from './limits';
export { RegexAllowance } from './regex-allowance';
export { testsStepStatus } from './step-status';
export { happeningBudget, WorkBudget } from './work-budget';
