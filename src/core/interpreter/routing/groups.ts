import { gatePasses } from './when-gate';
import { cancelData, finishStep, SYSTEM_ACTORS } from '../steps/finish';
import { captureMembers, groupVerdictScope, spawnGroupSuccessor, takeCollectiveBranches } from './collective';
import { findInstance, groupOf } from './group-instances';
import type { PlanGroup } from '../plan';
import { planNode } from '../plan';
import type { GroupInstance, StepState } from '../state';
import { isApproval, isTerminalStep } from '../state';
import type { Tx } from '../transaction';

/*
 * Parallel groups (docs/runtime.md, "Groups and quorum"). Completion (`expectedSteps` members terminal)
 * and quorum (`quorum` approvals including every `requiredNodeIds` member) are tracked apart.
 */

/** Members of a joinOnQuorum group never fan out on their own; the group does. */
export const isJoinMember = (tx: Tx, step: StepState): boolean => groupOf(tx, step)?.policy === 'joinOnQuorum';

const quorumReached = (tx: Tx, group: PlanGroup, instance: GroupInstance): boolean => {
  if (instance.approvedStepIds.length < group.quorum) return false;
  const approvedNodes = new Set(instance.approvedStepIds.map((id) => tx.step(id).nodeId));
  return group.required.every((nodeId) => approvedNodes.has(nodeId));
};

/** One step per shared successor, `group_<groupId>__to__<nodeId>`, when some member edge to it passes on the group's approval. */
const fireJoin = (tx: Tx, group: PlanGroup, instance: GroupInstance): void => {
  captureMembers(tx, instance);
  const scope = groupVerdictScope(tx, group, instance, 'approve');
  for (const target of group.successors) {
    const edges = group.members.flatMap((m) => planNode(tx.plan, m).out.filter((e) => e.to === target));
    if (!edges.some((e) => gatePasses(tx, e.when, scope, () => `edge ${e.from} -> ${e.to} (join of group ${group.groupId})`))) continue;
    spawnGroupSuccessor(tx, group, instance, target);
  }
};

const onQuorumMet = (tx: Tx, group: PlanGroup, instance: GroupInstance, step: StepState): void => {
  instance.quorumMet = true;
  tx.emit('group.quorum-met', step.stepId, {
    groupId: group.groupId,
    total: instance.approvedStepIds.length,
    quorum: group.quorum,
    completedTotal: instance.completedTotal,
    expectedSteps: group.expectedSteps,
  });
  if (group.policy === 'waitAll') return;
  // Every non-terminal sibling, not only the waiting ones.
  for (const id of instance.memberStepIds) {
    const sibling = tx.step(id);
    if (!isTerminalStep(sibling.status)) {
      finishStep(tx, sibling, { status: 'cancelled', data: cancelData(SYSTEM_ACTORS.groupQuorum, 'group-quorum-met') });
    }
  }
  if (group.policy === 'joinOnQuorum') fireJoin(tx, group, instance);
  else takeCollectiveBranches(tx, group, instance, 'approve');
};

/** Counts a member that reached a terminal status (cancelled ones included). */
export const accountMember = (tx: Tx, step: StepState): void => {
  const group = groupOf(tx, step);
  if (!group) return;
  const instance = findInstance(tx, group.groupId, step.iteration);
  if (!instance || instance.closed) return;
  instance.completedTotal += 1;
  if (isApproval(step, tx.plan.generation)) instance.approvedStepIds.push(step.stepId);
  if (!instance.quorumMet && quorumReached(tx, group, instance)) onQuorumMet(tx, group, instance, step);
  if (!instance.groupCompleted && instance.completedTotal >= group.expectedSteps) {
    instance.groupCompleted = true;
    tx.emit('parallel-group.completed', step.stepId, {
      groupId: group.groupId,
      iteration: instance.iteration,
      completedTotal: instance.completedTotal,
      totalApproved: instance.approvedStepIds.length,
      quorumMet: instance.quorumMet,
    });
  }
};

/**
 * docs/runtime.md, "Groups and quorum": a joinOnQuorum group whose members all ended without quorum fails the run,
 * unless it bounds a loop body (the loop owns that outcome).
 */
export const unmetJoinFailure = (tx: Tx): { code: string; message: string } | null => {
  for (const instance of tx.state.groups) {
    const group = tx.plan.groups.get(instance.groupId);
    if (!group || group.policy !== 'joinOnQuorum' || group.boundsLoopId !== null) continue;
    if (instance.quorumMet || instance.closed || instance.memberStepIds.length === 0) continue;
    return {
      code: 'group-quorum-unmet',
      message: `group ${group.groupId} ended without quorum (${instance.approvedStepIds.length} of ${group.quorum} approvals)`,
    };
  }
  return null;
};
