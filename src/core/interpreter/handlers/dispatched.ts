import type { Dispatched } from '../happenings';
import { rootStepId } from '../ids';
import { iterationFor } from '../routing/loop-state';
import type { Plan } from '../plan';
import { spawnStep } from '../steps/spawn';
import type { ExecutionState } from '../state';
import { STATE_VERSION } from '../state';
import { Tx } from '../transaction';

export const initialState = (plan: Plan, h: Dispatched, now: number): ExecutionState => ({
  v: STATE_VERSION,
  executionId: h.executionId,
  definitionId: plan.definitionId,
  definitionVersion: h.definitionVersion,
  correlationId: h.correlationId,
  idempotencyKey: h.idempotencyKey,
  triggerContext: h.triggerContext,
  status: 'running',
  startedAt: now,
  completedAt: null,
  cancelledAt: null,
  failureReason: null,
  pendingFailure: null,
  lastSeq: 0,
  events: [],
  steps: [],
  groups: [],
  loops: [],
});

/** The run was dispatched (docs/runtime.md, "Fan-out"): `execution.dispatched` with the root step ids, then every root starts. */
export const onDispatched = (plan: Plan, h: Dispatched, now: number, random: () => number): Tx => {
  const tx = new Tx(plan, initialState(plan, h, now), now);
  const roots = plan.roots.map((nodeId) => ({ nodeId, stepId: rootStepId(nodeId, now, random) }));
  tx.emit('execution.dispatched', null, {
    definitionId: plan.definitionId,
    definitionVersion: h.definitionVersion,
    rootStepIds: roots.map((r) => r.stepId),
  });
  // The API refuses such a dispatch (FAILED_PRECONDITION); should one get here, the run fails.
  if (roots.length === 0) tx.fail('no-root-nodes', `definition ${plan.definitionId} has no root node`);
  for (const root of roots) {
    spawnStep(tx, { ...root, parentStepId: null, iteration: iterationFor(tx, root.nodeId, null), input: null });
  }
  return tx;
};
