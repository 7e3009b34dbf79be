import { defineSearchAttributeKey, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { getExternalWorkflowHandle, patched, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { EngineActivities } from '../activities';
import { definitionWorkflowId, executionEndedSignal } from '../src/contracts/definition-messages';
import { executionWorkflowId, type ExecutionWorkflowInput } from '../src/contracts/execution-messages';
import { executionStartAttributes, type ScheduledRunInput, type ScheduledRunResult } from '../src/contracts/scheduled-run';
import { newExecutionId, randomAlnum } from '../src/core/ids';

const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');
const IDEMPOTENCY_KEY = /^[A-Za-z0-9:_\-.]{1,200}$/;

// Firings recorded before this checked the trigger and started the run without pinning it.
const PIN_SCHEDULED_RUN_PATCH = 'scheduled-run-pins-execution';

const { checkScheduledTrigger, pinScheduledRun } = proxyActivities<Pick<EngineActivities, 'checkScheduledTrigger' | 'pinScheduledRun'>>({
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
  // The run is pinned in its definition's in-flight list like a dispatched one, so a delete waits for it.
  const pinning = patched(PIN_SCHEDULED_RUN_PATCH);
  let dispatchedAt: number;
  let executionId: string;
  if (pinning) {
    dispatchedAt = Date.now();
    executionId = newExecutionId(dispatchedAt, Math.random);
    if ((await pinScheduledRun({ ...ref, executionId })) !== 'live') return { executionId: null };
  } else {
    // Unchanged for recorded firings: the id is drawn after the check, as they drew it.
    if ((await checkScheduledTrigger(ref)) !== 'live') return { executionId: null };
    dispatchedAt = Date.now();
    executionId = newExecutionId(dispatchedAt, Math.random);
  }
  const info = workflowInfo();
  const scheduledAt = info.typedSearchAttributes.get(SCHEDULED_START_TIME)?.getTime() ?? info.startTime.getTime();
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
  const started = startChild('executionWorkflow', {
    workflowId: executionWorkflowId(input.workspaceId, executionId),
    args: [execution],
    parentClosePolicy: 'ABANDON',
    typedSearchAttributes: executionStartAttributes(execution),
  });
  if (!pinning) {
    await (await started).result().catch(() => undefined);
    return { executionId };
  }
  let child: Awaited<typeof started>;
  try {
    child = await started;
  } catch (error) {
    // A run that never started no longer holds its definition's delete back. Its id taken already
    // means a delete revoked it between the pin and the start: this firing starts nothing.
    await getExternalWorkflowHandle(definitionWorkflowId(input.workspaceId, ref.definitionId))
      .signal(executionEndedSignal, { executionId })
      .catch(() => undefined);
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { executionId: null };
    throw error;
  }
  // However the run ends (cancelled, failed), this firing is over.
  await child.result().catch(() => undefined);
  return { executionId };
}
