import { defineSearchAttributeKey } from '@temporalio/common';
import { proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { EngineActivities } from '../activities';
import { executionWorkflowId, type ExecutionWorkflowInput } from '../src/contracts/execution-messages';
import { executionStartAttributes, type ScheduledRunInput, type ScheduledRunResult } from '../src/contracts/scheduled-run';
import { newExecutionId, randomAlnum } from '../src/core/ids';

const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');
const IDEMPOTENCY_KEY = /^[A-Za-z0-9:_\-.]{1,200}$/;

const { checkScheduledTrigger } = proxyActivities<Pick<EngineActivities, 'checkScheduledTrigger'>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, maximumInterval: '10 seconds' },
});

/**
 * One firing of a schedule trigger (docs/inbound.md, "Schedules"): starts the execution as an
 * abandoned child (it outlives this workflow if this one is ever terminated) with
 * `triggerContext.schedule`, then waits for it to end so that the schedule skips overlapping instants.
 */
export async function scheduledRunWorkflow(input: ScheduledRunInput): Promise<ScheduledRunResult> {
  const ref = { workspaceId: input.workspaceId, definitionId: input.definition.definitionId, triggerId: input.triggerId };
  if ((await checkScheduledTrigger(ref)) !== 'live') return { executionId: null };
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(SCHEDULED_START_TIME)?.getTime() ?? info.startTime.getTime();
  const dispatchedAt = Date.now();
  const executionId = newExecutionId(dispatchedAt, Math.random);
  const key = `sched:${input.triggerId}:${scheduledAt}`;
  const { scope } = input.definition.content;
  const execution: ExecutionWorkflowInput = {
    workspaceId: input.workspaceId,
    executionId,
    definition: input.definition,
    triggerContext: { schedule: { triggerId: input.triggerId, scheduledAt, payload: input.payload } },
    correlationId: `corr_${randomAlnum(16, Math.random)}`,
    idempotencyKey: IDEMPOTENCY_KEY.test(key) ? key : `auto_${executionId}`,
    folderId: null,
    // A triggered run carries its definition's scope, never ids of its own.
    ...(scope.organizationId === null ? {} : { organizationId: scope.organizationId }),
    ...(scope.documentId === null ? {} : { documentId: scope.documentId }),
    dispatchedAt,
    webhook: null,
    indexed: input.indexed,
  };
  const child = await startChild('executionWorkflow', {
    workflowId: executionWorkflowId(input.workspaceId, executionId),
    args: [execution],
    parentClosePolicy: 'ABANDON',
    typedSearchAttributes: executionStartAttributes(execution),
  });
  // However the run ends (cancelled, failed), this firing is over.
  await child.result().catch(() => undefined);
  return { executionId };
}
