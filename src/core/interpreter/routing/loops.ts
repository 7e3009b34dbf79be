import { firingEdges, stepScope } from './edge-eval';
import { cancelData, finishStep, SYSTEM_ACTORS } from '../steps/finish';
import { isJoinMember } from './groups';
import { exhaustedStepId, withIteration } from '../ids';
import { findLoopState, iterationFor } from './loop-state';
import type { PlanLoop } from '../plan';
import { planNode } from '../plan';
import { spawnStep } from '../steps/spawn';
import type { LoopState, StepState } from '../state';
import { isApproval, isTerminalStep } from '../state';
import type { Tx } from '../transaction';
import { gatePasses } from './when-gate';

/*
 * Loop regions (docs/runtime.md, "Loops"). A body step that ends in the loop's current
 * iteration may rewind the loop:
 * - the iteration-terminal node, when the loop predicate matches it;
 * - a member of the bounding joinOnQuorum group, when it ends without approving and the
 *   predicate matches it or it is a mandatory human rejection (quorum can no longer be met);
 * - any other human body step with a mandatory rejection that none of its own edges routes.
 */

const mandatoryRejection = (step: StepState): boolean =>
  step.nodeType === 'human' && step.status === 'completed' && step.output.decision === 'reject' && step.output.rejectorMandatory === true;

const rewinds = (tx: Tx, loop: PlanLoop, step: StepState): boolean => {
  const matches = (): boolean =>
    gatePasses(tx, loop.predicate, stepScope(tx.state, step), () => `loop ${loop.loopId} predicate (step ${step.stepId})`);
  const terminal = loop.terminal;
  switch (terminal.kind) {
    case 'node':
      if (terminal.nodeId === step.nodeId) return matches();
      break;
    case 'group':
      if (planNode(tx.plan, step.nodeId).groupId === terminal.groupId) {
        return !isApproval(step, tx.plan.generation) && (matches() || mandatoryRejection(step));
      }
      break;
    case 'none':
      break;
  }
  if (!mandatoryRejection(step)) return false;
  return isJoinMember(tx, step) || firingEdges(tx, step).length === 0;
};

const cancelBody = (tx: Tx, loop: PlanLoop, actorId: string, reason: string): void => {
  const body = new Set(loop.body);
  for (const step of [...tx.state.steps]) {
    if (body.has(step.nodeId) && !isTerminalStep(step.status))
      finishStep(tx, step, { status: 'cancelled', data: cancelData(actorId, reason) });
  }
};

/** Fresh group state for the next iteration: the abandoned instances stop counting. */
const closeGroups = (tx: Tx, loop: PlanLoop, iteration: number): void => {
  const body = new Set(loop.body);
  for (const instance of tx.state.groups) {
    const group = tx.plan.groups.get(instance.groupId);
    if (instance.iteration === iteration && group?.members.some((m) => body.has(m))) instance.closed = true;
  }
};

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const restart = (tx: Tx, loop: PlanLoop, state: LoopState, step: StepState): void => {
  const next = state.iteration + 1;
  tx.emit('loop.iteration-started', step.stepId, { loopId: loop.loopId, iteration: next, triggeredBy: 'rejection' });
  cancelBody(tx, loop, SYSTEM_ACTORS.loopRestart, 'loop-restart');
  state.iteration = next;
  const base = state.entryBaseId === '' ? `loop_${loop.loopId}__to__${loop.entryNodeId}` : state.entryBaseId;
  spawnStep(tx, {
    nodeId: loop.entryNodeId,
    stepId: withIteration(base, next),
    parentStepId: null,
    iteration: next,
    input: { kind: 'loop', loopId: loop.loopId, iteration: next },
  });
};

const exhaust = (tx: Tx, loop: PlanLoop, state: LoopState, step: StepState): void => {
  state.status = 'exhausted';
  const last = state.attempts[state.attempts.length - 1];
  tx.emit('loop.exhausted', step.stepId, {
    loopId: loop.loopId,
    iteration: state.iteration,
    ...(last?.rejectedBy ? { lastRejectedBy: last.rejectedBy } : {}),
    ...(last?.rejectionReason ? { lastRejectionReason: last.rejectionReason } : {}),
  });
  cancelBody(tx, loop, SYSTEM_ACTORS.loopExhausted, 'loop-exhausted');
  if (loop.exhaustedRoute === null) {
    tx.fail('loop-exhausted', `loop ${loop.loopId} exhausted after ${state.iteration} iterations with no onExhausted route`);
    return;
  }
  spawnStep(tx, {
    nodeId: loop.exhaustedRoute,
    stepId: exhaustedStepId(loop.loopId, loop.exhaustedRoute),
    parentStepId: null,
    iteration: iterationFor(tx, loop.exhaustedRoute, null),
    input: { kind: 'exhausted', loopId: loop.loopId },
  });
};

/**
 * Gives the loop machinery the first word on a step that ended (not cancelled). Returns true when
 * the loop took the step over (restart or exhaustion): its own edges then do not fire.
 */
export const disposeLoop = (tx: Tx, step: StepState): boolean => {
  const loopId = planNode(tx.plan, step.nodeId).loopId;
  const loop = loopId === null ? undefined : tx.plan.loops.get(loopId);
  const state = loopId === null ? undefined : findLoopState(tx, loopId);
  if (!loop || !state || state.status !== 'active' || step.iteration !== state.iteration) return false;
  if (step.status === 'cancelled' || !rewinds(tx, loop, step)) return false;
  state.attempts.push({
    iteration: state.iteration,
    stepId: step.stepId,
    rejectedBy: str(step.output.rejectedBy),
    rejectorMandatory: step.output.rejectorMandatory === true,
    rejectionReason: str(step.output.rejectionReason),
    rejectedAt: step.completedAt ?? tx.now,
  });
  closeGroups(tx, loop, state.iteration);
  if (state.iteration < loop.maxIterations) restart(tx, loop, state, step);
  else exhaust(tx, loop, state, step);
  return true;
};
