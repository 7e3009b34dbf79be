import {
  CancelExecutionRequestSchema,
  DispatchRequestSchema,
  GetEventsRequestSchema,
  GetExecutionRequestSchema,
  ListExecutionsRequestSchema,
} from '../../src/core/requests/execution-requests';
import { withWaitingStepLinks } from '../../src/infra/ui/step-links';
import { defineEndpoint } from '../endpoint';

export const dispatchExecution = defineEndpoint({
  path: '/v2/workflow/executions/dispatch',
  summary: 'Start a run of the current version of a definition (idempotent with idempotencyKey)',
  request: DispatchRequestSchema,
  handle: (data, { principal, services }) => services.dispatcher.dispatch(principal.workspace.workspaceId, data),
});

export const getExecution = defineEndpoint({
  path: '/v2/workflow/executions/get',
  summary: 'Read a run and every step scheduled so far',
  request: GetExecutionRequestSchema,
  handle: async (data, { principal, services }) => {
    const { workspaceId } = principal.workspace;
    const view = await services.executions.get(workspaceId, data.executionId);
    return services.reviewerLinks ? withWaitingStepLinks(view, services.reviewerLinks, workspaceId) : view;
  },
});

export const listExecutions = defineEndpoint({
  path: '/v2/workflow/executions/list',
  summary: 'Page runs, newest first, optionally filtered by definition and status',
  request: ListExecutionsRequestSchema,
  handle: (data, { principal, services }) => services.executions.list(principal.workspace.workspaceId, data),
});

export const cancelExecution = defineEndpoint({
  path: '/v2/workflow/executions/cancel',
  summary: 'Cancel a run and every open step (a no-op on a finished run)',
  request: CancelExecutionRequestSchema,
  handle: (data, { principal, services }) => services.executions.cancel(principal.workspace.workspaceId, data.executionId, data.reason),
});

export const getExecutionEvents = defineEndpoint({
  path: '/v2/workflow/executions/getEvents',
  summary: 'Page the external event stream after sinceSeq',
  request: GetEventsRequestSchema,
  handle: (data, { principal, services }) =>
    services.executions.events(principal.workspace.workspaceId, data.executionId, data.sinceSeq, data.pageSize),
});
