import { planNode } from '../plan';
import type { LoopState, StepState } from '../state';
import type { Tx } from '../transaction';

export const findLoopState = (tx: Tx, loopId: string): LoopState | undefined => tx.state.loops.find((l) => l.loopId === loopId);

/**
 * The iteration a new step of `childNodeId` belongs to: its parent's when both sit in the same
 * loop, otherwise the loop's current iteration (1 before the loop started, or outside loops).
 */
export const iterationFor = (tx: Tx, childNodeId: string, parent: StepState | null): number => {
  const loopId = planNode(tx.plan, childNodeId).loopId;
  if (loopId === null) return 1;
  if (parent && planNode(tx.plan, parent.nodeId).loopId === loopId) return parent.iteration;
  return findLoopState(tx, loopId)?.iteration ?? 1;
};

/** Creates the loop's state when its first body step appears. */
export const registerLoopStep = (tx: Tx, step: StepState): void => {
  const loopId = planNode(tx.plan, step.nodeId).loopId;
  if (loopId === null) return;
  const existing = findLoopState(tx, loopId);
  const isEntry = tx.plan.loops.get(loopId)?.entryNodeId === step.nodeId;
  if (existing) {
    if (existing.entryBaseId === '' && isEntry) existing.entryBaseId = step.stepId;
    return;
  }
  tx.state.loops.push({ loopId, iteration: 1, status: 'active', attempts: [], entryBaseId: isEntry ? step.stepId : '' });
};
