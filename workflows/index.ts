export { definitionWorkflow } from './definition-workflow';
export { dispatchClaimWorkflow } from './dispatch-claim-workflow';
export { executionWorkflow } from './execution-workflow';
export { workspaceLimiterWorkflow } from './workspace-limiter-workflow';
