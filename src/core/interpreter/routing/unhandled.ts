import type { StepState } from '../state';
import type { Tx } from '../transaction';

/** A failed or breached step from which nothing fired is the run's unhandled failure (the first one wins). */
export const recordUnhandledFailure = (tx: Tx, step: StepState): void => {
  if (step.status === 'failed') {
    tx.fail('step-failed', `step ${step.stepId} (${step.nodeId}) failed${step.error ? `: ${step.error.code}: ${step.error.message}` : ''}`);
  } else if (step.status === 'breached') {
    tx.fail('step-breached', `step ${step.stepId} (${step.nodeId}) breached its SLA and no edge routes the breach`);
  }
};
