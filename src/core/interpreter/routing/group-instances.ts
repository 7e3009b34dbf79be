import { planNode, type PlanGroup } from '../plan';
import type { GroupInstance, StepState } from '../state';
import type { Tx } from '../transaction';

/** The group a step's node belongs to, if any. */
export const groupOf = (tx: Tx, step: StepState): PlanGroup | null => {
  const groupId = planNode(tx.plan, step.nodeId).groupId;
  return groupId === null ? null : (tx.plan.groups.get(groupId) ?? null);
};

/** One group's state for one loop iteration (fresh quorum state per iteration). */
export const findInstance = (tx: Tx, groupId: string, iteration: number): GroupInstance | undefined =>
  tx.state.groups.find((g) => g.groupId === groupId && g.iteration === iteration);

/** Adds a new member step to its group's instance, creating the instance on first use. */
export const registerMember = (tx: Tx, step: StepState): GroupInstance | null => {
  const groupId = planNode(tx.plan, step.nodeId).groupId;
  if (groupId === null) return null;
  let instance = findInstance(tx, groupId, step.iteration);
  if (!instance) {
    instance = {
      groupId,
      iteration: step.iteration,
      quorum: tx.plan.groups.get(groupId)?.quorum ?? 0,
      memberStepIds: [],
      completedTotal: 0,
      approvedStepIds: [],
      quorumMet: false,
      groupCompleted: false,
      closed: false,
      joinedStepIds: null,
    };
    tx.state.groups.push(instance);
  }
  instance.memberStepIds.push(step.stepId);
  return instance;
};
