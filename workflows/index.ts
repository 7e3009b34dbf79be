export { definitionCatalogWorkflow } from './definition-catalog-workflow';
export { definitionWorkflow } from './definition-workflow';
export { dispatchClaimWorkflow } from './dispatch-claim-workflow';
export { executionWorkflow } from './execution-workflow';
export { scheduledRunWorkflow } from './scheduled-run-workflow';
export { revokedExecutionWorkflow } from './revoked-execution-workflow';
export { workspaceLimiterWorkflow } from './workspace-limiter-workflow';
