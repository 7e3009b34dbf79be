import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  cancelExecutionUpdate,
  cancelStepUpdate,
  getEventsQuery,
  getExecutionQuery,
  getWorkItemQuery,
  idempotencySuppressedSignal,
  MAX_RECORDED_REPEATS,
  recordAgentResolutionUpdate,
  repeatAnswerQuery,
  recordReviewerDecisionUpdate,
  resolveStepUpdate,
  webhookCallbackKeyQuery,
  webhookCallbackUpdate,
  type ExecutionWorkflowInput,
} from '../src/contracts/execution-messages';
import type { EngineError } from '../src/core/errors';
import {
  checkAgentResolution,
  checkResolve,
  checkReviewerDecision,
  checkStepCancel,
  checkWebhookCallback,
  type AnsweredKind,
  type ExecutionState,
  type Generation,
  type HappeningOf,
  type ReplyByKind,
  type RequestOf,
} from '../src/core/interpreter';
import { executionEndedSignal } from '../src/contracts/workspace-limits';
import { outputBudgetProblem } from '../src/core/limits/output-size';
import { jsonPayloadBytes, MAX_CARRIED_BYTES } from '../src/core/limits/payload-size';
import { whenAdmitted } from './execution/admitted-update';
import { reportEndToDefinition } from './execution/end-report';
import { Execution } from './execution/execution';
import { setUpdateHandler } from './update-handler';

export interface ExecutionOutcome {
  executionId: string;
  status: string;
}

/** A step check, then the run's output cap (docs/behaviour.md, "Output caps") for a request that carries an output. */
const withOutputBudget =
  <R extends { output?: Record<string, unknown> | null | undefined }>(
    check: (state: ExecutionState, request: R, generation: Generation) => EngineError | null,
  ) =>
  (state: ExecutionState, request: R, generation: Generation): EngineError | null =>
    check(state, request, generation) ?? outputBudgetProblem(state, request.output);

/**
 * One execution = one workflow that drives the pure interpreter over the pinned definition.
 * Everything is a reaction to one happening at a time: an agent finished, a timer fired, or an
 * Update arrived (checked by its validator first, so refused requests never reach history).
 */
export async function executionWorkflow(input: ExecutionWorkflowInput): Promise<ExecutionOutcome> {
  const execution = new Execution(input);
  execution.start();

  /** An Update that applies one happening and answers with the interpreter's reply. */
  const answer = <K extends AnsweredKind>(
    update: UpdateDefinition<ReplyByKind[K], [RequestOf<K>]>,
    kind: K,
    check?: (state: ExecutionState, request: RequestOf<K>, generation: Generation) => EngineError | null,
  ): void =>
    setUpdateHandler(
      update,
      (request) => {
        const apply = (): ReplyByKind[K] => execution.applyHappening({ kind, ...request } as HappeningOf<K>);
        return check
          ? whenAdmitted(
              () => execution.problem(check, request),
              (found) => execution.mayClearLater(found, request),
              apply,
            )
          : apply();
      },
      check && ((request) => execution.check(check, request)),
    );

  setHandler(getExecutionQuery, () => execution.view());
  setHandler(getEventsQuery, (page) => execution.eventsPage(page));
  setHandler(getWorkItemQuery, () => execution.workItem());
  setHandler(webhookCallbackKeyQuery, () => execution.callbackKey());
  setHandler(repeatAnswerQuery, () => ({ correlationId: input.correlationId, recordedRepeats: execution.recordedRepeats }));
  setHandler(idempotencySuppressedSignal, () => {
    // The API stops at the cap; a race of API processes past it is not recorded either.
    if (execution.recordedRepeats < MAX_RECORDED_REPEATS) execution.applyHappening({ kind: 'idempotencySuppressed' });
  });
  answer(recordReviewerDecisionUpdate, 'reviewerDecisionRecorded', checkReviewerDecision);
  answer(
    recordAgentResolutionUpdate,
    'agentResolutionRecorded',
    withOutputBudget<RequestOf<'agentResolutionRecorded'>>(checkAgentResolution),
  );
  answer(cancelStepUpdate, 'stepCancelled', checkStepCancel);
  answer(resolveStepUpdate, 'stepResolved', withOutputBudget<RequestOf<'stepResolved'>>(checkResolve));
  answer(webhookCallbackUpdate, 'webhookCallbackReceived', checkWebhookCallback);
  answer(cancelExecutionUpdate, 'executionCancelled');

  const endReported = reportEndToDefinition(input, () => execution.finished);

  // History stays bounded: continue as new at a quiet moment (no agent run or delivery in flight).
  await condition(() => execution.done || (workflowInfo().continueAsNewSuggested && execution.quiet));
  await condition(allHandlersFinished);
  if (!execution.finished) {
    const next = { ...input, carried: execution.carried() };
    if (jsonPayloadBytes(next) <= MAX_CARRIED_BYTES) await continueAsNew<typeof executionWorkflow>(next);
    // Over Temporal's payload limit the continuation could never start (a stuck run): the run goes on
    // in this history instead, which Temporal's history limits still hold (docs/behaviour.md, "Workspace limits").
    log.warn('carried state over the payload limit; not continuing as new', { bytes: jsonPayloadBytes(next), limit: MAX_CARRIED_BYTES });
    await condition(() => execution.done);
    await condition(allHandlersFinished);
  }
  await endReported;
  if (execution.limited && input.limiterWorkflowId) {
    // Frees the run's place under the workspace's running-executions limit (docs/behaviour.md, "Workspace limits").
    await getExternalWorkflowHandle(input.limiterWorkflowId)
      .signal(executionEndedSignal, { workflowId: workflowInfo().workflowId })
      .catch(() => undefined);
  }
  return { executionId: input.executionId, status: execution.status };
}
