import { cancelData, finishStep, SYSTEM_ACTORS } from '../steps/finish';
import type { CancelExecutionReply, CancelStepReply, ExecutionCancelled, StepCancelled } from '../happenings';
import { isTerminalStep } from '../state';
import type { Tx } from '../transaction';
import { checkStepCancel } from '../validators';

/** `/steps/cancel` (docs/runtime.md, "Cancellation"): the step is cancelled and none of its edges fire. */
export const onStepCancelled = (tx: Tx, h: StepCancelled): CancelStepReply => {
  const error = checkStepCancel(tx.state, h);
  if (error) throw error;
  const step = tx.step(h.stepId);
  const reason = h.reason ?? null;
  tx.emit('step.overridden', step.stepId, { actorId: h.actorId, action: 'cancel', reason, decision: null });
  finishStep(tx, step, { status: 'cancelled', data: cancelData(h.actorId, reason) });
  return { cancelled: true, executionId: tx.state.executionId, stepId: step.stepId };
};

/** The answer to `/executions/cancel`, also for a run that had already ended (docs/behaviour.md, "Executions"). */
export const cancelExecutionReply = (executionId: string): CancelExecutionReply => ({ cancelled: true, executionId });

/**
 * `/executions/cancel` (docs/runtime.md, "Cancellation"): one `step.cancelled` per live step, then
 * `execution.cancelled`. A terminal execution is left as is, with the same answer.
 */
export const onExecutionCancelled = (tx: Tx, h: ExecutionCancelled): CancelExecutionReply => {
  const reply = cancelExecutionReply(tx.state.executionId);
  if (!tx.running) return reply;
  for (const step of tx.state.steps) {
    if (!isTerminalStep(step.status)) {
      finishStep(tx, step, { status: 'cancelled', data: cancelData(SYSTEM_ACTORS.executionCancel, 'execution-cancelled') });
    }
  }
  tx.state.status = 'cancelled';
  tx.state.cancelledAt = tx.now;
  tx.state.completedAt = tx.now;
  tx.emit('execution.cancelled', null, h.reason === undefined ? {} : { reason: h.reason });
  return reply;
};
