import { refreshHumanOutput } from '../steps/human-aggregator';
import { finishStep } from '../steps/finish';
import type { ResolveAction, ResolveStepReply, StepResolved } from '../happenings';
import type { Decision, StepState } from '../state';
import type { Tx } from '../transaction';
import { checkResolve } from '../validators';

/** Keys the engine owns on approve/reject actions (spec §4.13); caller values are ignored. */
const ENGINE_KEYS = new Set(['decision', 'approved', 'approvalReply']);

const decisionOf = (action: ResolveAction): Decision | null => {
  switch (action) {
    case 'force-approve':
    case 'reviewer-approve':
      return 'approve';
    case 'force-reject':
    case 'reviewer-reject':
      return 'reject';
    case 'force-complete':
    case 'force-fail':
      return null;
  }
};

const aggregatorBackedData = (step: StepState, aggregatorStatus: string, decision: unknown): Record<string, unknown> => ({
  aggregatorStatus,
  nodeType: step.nodeType,
  decision: decision ?? null,
  aggregatorBacked: false,
});

/** approve/reject: the decision without `rejectedBy`/`rejectorMandatory` (so the default loop predicate does not fire). */
const decide = (tx: Tx, step: StepState, h: StepResolved, decision: Decision): void => {
  const status = decision === 'approve' ? 'resolved' : 'rejected';
  if (step.human) step.human.status = status;
  refreshHumanOutput(step);
  const passThrough = Object.fromEntries(Object.entries(h.output ?? {}).filter(([key]) => !ENGINE_KEYS.has(key)));
  step.output = {
    ...step.output,
    ...passThrough,
    aggregatorStatus: status,
    decision,
    approved: decision === 'approve',
    approvalReply: h.reason ?? null,
    resumedAt: tx.now,
    overriddenBy: h.actorId,
    overriddenAt: tx.now,
  };
  tx.emit('step.resumed', step.stepId, { aggregatorStatus: status });
  finishStep(tx, step, { status: 'completed', data: aggregatorBackedData(step, status, decision) });
};

/** `/steps/resolve` (spec §5.14). Every call is audited as `step.overridden`. */
export const onStepResolved = (tx: Tx, h: StepResolved): ResolveStepReply => {
  const error = checkResolve(tx.state, h);
  if (error) throw error;
  const step = tx.step(h.stepId);
  const decision = decisionOf(h.action);
  tx.emit('step.overridden', step.stepId, { actorId: h.actorId, action: h.action, reason: h.reason ?? null, decision });
  const aggregatorBacked = step.nodeType === 'human' || step.agent?.blocking === true;
  if (decision !== null) {
    decide(tx, step, h, decision);
  } else if (h.action === 'force-complete') {
    step.output = { ...(h.output ?? {}) };
    if (step.agent?.blocking === true) step.agent.status = 'resolved';
    if (step.human) step.human.status = 'resolved';
    finishStep(tx, step, {
      status: 'completed',
      data: aggregatorBacked ? aggregatorBackedData(step, 'resolved', step.output.decision) : { agentId: step.agent?.agentId ?? null },
    });
  } else {
    if (h.output !== undefined) step.output = { ...h.output };
    const failure = { code: 'force-failed', message: h.reason ?? `failed by ${h.actorId}` };
    finishStep(tx, step, { status: 'failed', error: failure, data: { error: failure } });
  }
  return { resolved: true, executionId: tx.state.executionId, stepId: step.stepId, action: h.action };
};
