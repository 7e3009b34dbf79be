import { groupRoutesFailures } from './collective';
import { firingEdges } from './edge-eval';
import { childStepId, withIteration } from '../ids';
import { iterationFor } from './loop-state';
import { planNode } from '../plan';
import { spawnStep } from '../steps/spawn';
import type { StepState } from '../state';
import type { Tx } from '../transaction';
import { recordUnhandledFailure } from './unhandled';

/**
 * Per-edge fan-out (docs/runtime.md, "Fan-out"): each passing edge spawns `<parentStepId>__to__<nodeId>` (with
 * `__iter_<N>` inside loop iterations N ≥ 2). Two edges to the same target spawn one step. A
 * failed or breached step from which nothing fired is the run's unhandled failure, unless its
 * waitAll group takes a branch of its own (see `collective.ts`).
 */
export const fanOut = (tx: Tx, step: StepState): void => {
  const edges = firingEdges(tx, step);
  for (const edge of edges) {
    const iteration = iterationFor(tx, edge.to, step);
    const inLoop = planNode(tx.plan, edge.to).loopId !== null;
    spawnStep(tx, {
      nodeId: edge.to,
      stepId: withIteration(childStepId(step.stepId, edge.to), inLoop ? iteration : 1),
      parentStepId: step.stepId,
      iteration,
      input: null,
    });
  }
  if (edges.length > 0) {
    step.routed = true;
    return;
  }
  // A waitAll group with branches of its own routes (or not) its members' failures once all ended.
  if (!groupRoutesFailures(tx, step)) recordUnhandledFailure(tx, step);
};
