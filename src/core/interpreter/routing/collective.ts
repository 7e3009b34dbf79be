import type { WhenScope } from '../../when';
import { joinStepId, withIteration } from '../ids';
import { planNode, type PlanGroup } from '../plan';
import { spawnStep } from '../steps/spawn';
import type { Decision, GroupInstance, StepState } from '../state';
import type { Tx } from '../transaction';
import { findInstance, groupOf } from './group-instances';
import { iterationFor } from './loop-state';
import { recordUnhandledFailure } from './unhandled';
import { gatePasses } from './when-gate';

/*
 * A group as one step (docs/g3.md, "Groups as edge sources"): its join (joinOnQuorum) and the
 * branches authored from the group itself (waitAll: once every member ended, by unanimity;
 * cancelOnQuorum: once, on quorum) create `group_<groupId>__to__<nodeId>` steps whose gates read
 * the group's verdict.
 */

/** The scope a group's branch (or join) gate is evaluated in: the verdict and the captured member outputs. */
export const groupVerdictScope = (tx: Tx, group: PlanGroup, instance: GroupInstance, decision: Decision): WhenScope => {
  const groupOutputs: Record<string, unknown> = {};
  for (const id of instance.joinedStepIds ?? []) groupOutputs[tx.step(id).nodeId] = tx.step(id).output;
  return {
    output: {
      decision,
      approved: decision === 'approve',
      aggregatorStatus: decision === 'approve' ? 'resolved' : 'rejected',
      groupId: group.groupId,
      quorum: group.quorum,
      totalApproved: instance.approvedStepIds.length,
      groupOutputs,
    },
    step: {
      stepId: null,
      nodeId: null,
      nodeType: null,
      groupId: group.groupId,
      status: 'completed',
      iteration: instance.iteration,
      retryCount: 0,
    },
    execution: { input: tx.state.triggerContext },
  };
};

/** Completed members, captured as the successor's `groupOutputs`. */
export const captureMembers = (tx: Tx, instance: GroupInstance): void => {
  instance.joinedStepIds = instance.memberStepIds.filter((id) => tx.step(id).status === 'completed');
};

/** `group_<groupId>__to__<nodeId>`, in the group's iteration when the target sits in the same loop. */
export const spawnGroupSuccessor = (tx: Tx, group: PlanGroup, instance: GroupInstance, target: string): void => {
  const targetLoop = planNode(tx.plan, target).loopId;
  const sameLoop = targetLoop !== null && targetLoop === planNode(tx.plan, group.members[0] ?? target).loopId;
  const iteration = sameLoop ? instance.iteration : iterationFor(tx, target, null);
  spawnStep(tx, {
    nodeId: target,
    stepId: withIteration(joinStepId(group.groupId, target), instance.iteration),
    parentStepId: null,
    iteration,
    input: { kind: 'join', groupId: group.groupId, iteration: instance.iteration },
  });
};

/** Takes each of the group's own branches whose gate passes on `decision`; true when one fired. */
export const takeCollectiveBranches = (tx: Tx, group: PlanGroup, instance: GroupInstance, decision: Decision): boolean => {
  if (group.collective.length === 0) return false;
  captureMembers(tx, instance);
  const scope = groupVerdictScope(tx, group, instance, decision);
  let fired = false;
  for (const branch of group.collective) {
    if (!gatePasses(tx, branch.when, scope, () => `edge group ${group.groupId} -> ${branch.to} (${decision} branch of the group)`))
      continue;
    spawnGroupSuccessor(tx, group, instance, branch.to);
    fired = true;
  }
  return fired;
};

/** A waitAll group with branches of its own decides whether its members' failures are routed. */
export const groupRoutesFailures = (tx: Tx, step: StepState): boolean => {
  const group = groupOf(tx, step);
  return group !== null && group.policy === 'waitAll' && group.collective.length > 0;
};

/**
 * After a member of a waitAll group with branches of its own was routed: once every member has
 * ended, the group takes one branch by unanimity (approve only if every member approved). The
 * branch routes the members' failures; when none fires, the first failed or breached member that
 * no edge of its own routed is the run's unhandled failure.
 */
export const settleWaitAllBranches = (tx: Tx, step: StepState): void => {
  const group = groupOf(tx, step);
  if (group === null || group.policy !== 'waitAll' || group.collective.length === 0) return;
  const instance = findInstance(tx, group.groupId, step.iteration);
  if (!instance || instance.closed || !instance.groupCompleted || instance.joinedStepIds !== null) return;
  const decision: Decision = instance.approvedStepIds.length >= instance.completedTotal ? 'approve' : 'reject';
  const fired = takeCollectiveBranches(tx, group, instance, decision);
  for (const id of instance.memberStepIds) {
    const member = tx.step(id);
    if ((member.status !== 'failed' && member.status !== 'breached') || member.routed) continue;
    if (fired) member.routed = true;
    else recordUnhandledFailure(tx, member);
  }
};
