import { finishStep } from '../steps/finish';
import type { SlaExpired } from '../happenings';
import { isTerminalStep } from '../state';
import type { Tx } from '../transaction';

export const SLA_BREACH_REASON = 'sla-expired';

/** The SLA timer fired (docs/api.md, "SLA"): a live step becomes `breached`; its agent run is cancelled. */
export const onSlaExpired = (tx: Tx, h: SlaExpired): void => {
  const step = tx.find(h.stepId);
  if (!tx.running || !step || isTerminalStep(step.status) || step.slaDeadlineAt === null) return;
  const slaMs = step.slaDeadlineAt - step.createdAt;
  finishStep(tx, step, {
    status: 'breached',
    error: { code: SLA_BREACH_REASON, message: `step exceeded its SLA of ${slaMs} ms` },
    data: { reason: SLA_BREACH_REASON },
  });
};
