import {
  cancelStepUpdate,
  recordAgentResolutionUpdate,
  recordReviewerDecisionUpdate,
  resolveStepUpdate,
} from '../../src/contracts/execution-messages';
import {
  CancelStepRequestSchema,
  RecordAgentResolutionDocSchema,
  RecordAgentResolutionRequestSchema,
  RecordReviewerDecisionRequestSchema,
  ResolveStepRequestSchema,
} from '../../src/core/requests/step-requests';
import { defineEndpoint } from '../endpoint';
import { requireAdmin } from '../middleware/auth';

/* Each step endpoint sends one Update and answers with the reply the workflow computed. */

export const recordReviewerDecision = defineEndpoint({
  path: '/v2/workflow/steps/recordReviewerDecision',
  summary: "Record one reviewer's approve or reject on a waiting human step",
  request: RecordReviewerDecisionRequestSchema,
  handle: ({ executionId, ...decision }, { principal, services }) =>
    services.executions.stepUpdate(principal.workspace.workspaceId, executionId, recordReviewerDecisionUpdate, decision),
});

export const recordAgentResolution = defineEndpoint({
  path: '/v2/workflow/steps/recordAgentResolution',
  summary: 'Record one external resolution for a waiting blocking-agent step (G2 or G1/G3 body)',
  request: RecordAgentResolutionRequestSchema,
  documentedRequest: RecordAgentResolutionDocSchema,
  handle: ({ executionId, ...resolution }, { principal, services }) =>
    services.executions.stepUpdate(principal.workspace.workspaceId, executionId, recordAgentResolutionUpdate, resolution),
});

export const cancelStep = defineEndpoint({
  path: '/v2/workflow/steps/cancel',
  summary: 'Cancel one open step (admin token); its edges never fire',
  request: CancelStepRequestSchema,
  handle: ({ executionId, stepId, actorId, reason }, { principal, services }) => {
    requireAdmin(principal, '/steps/cancel');
    return services.executions.stepUpdate(principal.workspace.workspaceId, executionId, cancelStepUpdate, { stepId, actorId, reason });
  },
});

export const resolveStep = defineEndpoint({
  path: '/v2/workflow/steps/resolve',
  summary: 'Override a parked or running step (force-* needs an admin token) or act as a declared reviewer',
  request: ResolveStepRequestSchema,
  handle: ({ executionId, ...resolution }, { principal, services }) => {
    if (resolution.action.startsWith('force-')) requireAdmin(principal, `/steps/resolve ${resolution.action}`);
    return services.executions.stepUpdate(principal.workspace.workspaceId, executionId, resolveStepUpdate, resolution);
  },
});
