import { refreshHumanOutput } from '../steps/human-aggregator';
import { agentEventFields, completedEventData, failedEventData } from '../steps/event-data';
import { finishStep } from '../steps/finish';
import type { ResolveAction, ResolveStepReply, StepResolved } from '../happenings';
import type { Decision, StepState } from '../state';
import type { Tx } from '../transaction';
import { checkResolve } from '../validators';

/** Keys the engine owns on approve/reject actions (docs/runtime.md, "Overrides"); caller values are ignored. */
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

/** Human and blocking-agent steps report as aggregator-backed (as the seed has it); other agents report their agent fields. */
const isAggregatorBacked = (step: StepState): boolean => step.nodeType === 'human' || step.agent?.blocking === true;

const aggregatorBackedData = (step: StepState, aggregatorStatus: string, decision: unknown): Record<string, unknown> => ({
  aggregatorStatus,
  nodeType: step.nodeType,
  decision: decision ?? null,
  aggregatorBacked: false,
});

/** The aggregator of a step that has one (a human step, a parked blocking agent) follows the override. */
const settleAggregator = (step: StepState, status: 'resolved' | 'rejected'): void => {
  if (step.human) step.human.status = status;
  // A blocking agent whose run is still in flight has no aggregator yet; finishing the step cancels the run.
  if (step.agent?.blocking === true && step.agent.status !== null) step.agent.status = status;
};

/**
 * approve/reject on any waiting step (a human, a parked blocking agent, a `g3` agent whose run is
 * in flight): the decision without `rejectedBy`/`rejectorMandatory` (so the default loop predicate
 * does not fire).
 */
const decide = (tx: Tx, step: StepState, h: StepResolved, decision: Decision): void => {
  const status = decision === 'approve' ? 'resolved' : 'rejected';
  const aggregatorBacked = isAggregatorBacked(step);
  settleAggregator(step, status);
  refreshHumanOutput(step);
  const passThrough = Object.fromEntries(Object.entries(h.output ?? {}).filter(([key]) => !ENGINE_KEYS.has(key)));
  step.output = {
    ...step.output,
    ...passThrough,
    ...(aggregatorBacked ? { aggregatorStatus: status } : {}),
    decision,
    approved: decision === 'approve',
    approvalReply: h.reason ?? null,
    resumedAt: tx.now,
    overriddenBy: h.actorId,
    overriddenAt: tx.now,
  };
  if (aggregatorBacked) tx.emit('step.resumed', step.stepId, { aggregatorStatus: status });
  finishStep(tx, step, { status: 'completed', data: overriddenData(tx, step, aggregatorBacked, status, decision) });
};

/** `step.completed` of an override: the aggregator's view where there is one, else the agent's; a `g3` agent step adds its fields. */
const overriddenData = (
  tx: Tx,
  step: StepState,
  aggregatorBacked: boolean,
  aggregatorStatus: string,
  decision: unknown,
): Record<string, unknown> =>
  aggregatorBacked
    ? { ...aggregatorBackedData(step, aggregatorStatus, decision), ...agentEventFields(tx, step, 'override') }
    : completedEventData(tx, step, false, 'override');

/** The caller's output, with the engine's `overriddenAt` unless the caller sent its own (docs/behaviour.md, "G3 runtime"). */
const withOverriddenAt = (tx: Tx, output: Record<string, unknown>): Record<string, unknown> => ({ overriddenAt: tx.now, ...output });

/** `/steps/resolve` (docs/api.md, "steps/resolve"). Every call is audited as `step.overridden`. */
export const onStepResolved = (tx: Tx, h: StepResolved): ResolveStepReply => {
  const error = checkResolve(tx.state, h);
  if (error) throw error;
  const step = tx.step(h.stepId);
  const decision = decisionOf(h.action);
  tx.emit('step.overridden', step.stepId, { actorId: h.actorId, action: h.action, reason: h.reason ?? null, decision });
  const aggregatorBacked = isAggregatorBacked(step);
  if (decision !== null) {
    decide(tx, step, h, decision);
  } else if (h.action === 'force-complete') {
    step.output = withOverriddenAt(tx, h.output ?? {});
    settleAggregator(step, 'resolved');
    finishStep(tx, step, { status: 'completed', data: overriddenData(tx, step, aggregatorBacked, 'resolved', step.output.decision) });
  } else {
    step.output = withOverriddenAt(tx, h.output ?? step.output);
    const failure = { code: 'force-failed', message: h.reason ?? `failed by ${h.actorId}` };
    finishStep(tx, step, { status: 'failed', error: failure, data: failedEventData(tx, step, failure, 'override') });
  }
  return { resolved: true, executionId: tx.state.executionId, stepId: step.stepId, action: h.action };
};
