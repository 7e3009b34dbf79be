import { unmetJoinFailure } from './groups';
import { isTerminalStep } from '../state';
import type { Tx } from '../transaction';

/**
 * docs/runtime.md, "Completion and failure": once every step is terminal the run completes, unless an unhandled
 * failure was recorded (a failed/breached step no edge routed, an exhausted loop with no route)
 * or a joinOnQuorum group ended without quorum.
 */
export const rollUp = (tx: Tx): void => {
  if (!tx.running || tx.state.steps.some((s) => !isTerminalStep(s.status))) return;
  const state = tx.state;
  const failure = state.pendingFailure ?? unmetJoinFailure(tx);
  state.completedAt = tx.now;
  if (failure) {
    state.status = 'failed';
    state.failureReason = failure;
    tx.emit('execution.failed', null, { failureReason: failure });
  } else {
    state.status = 'completed';
    tx.emit('execution.completed', null, null);
  }
};
