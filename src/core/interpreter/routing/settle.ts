import { settleWaitAllBranches } from './collective';
import { fanOut } from './fan-out';
import { accountMember, isJoinMember } from './groups';
import { findLoopState } from './loop-state';
import { disposeLoop } from './loops';
import { planNode } from '../plan';
import type { StepState } from '../state';
import type { Tx } from '../transaction';

/** A body step of an iteration the loop has already left (it ended in the same instant as the restart). */
const superseded = (tx: Tx, step: StepState): boolean => {
  const loopId = planNode(tx.plan, step.nodeId).loopId;
  const loop = loopId === null ? undefined : findLoopState(tx, loopId);
  return loop !== undefined && step.iteration < loop.iteration;
};

/**
 * Routes one step that turned terminal: the loop machinery first (a rewind takes the step over),
 * then its group's accounting (quorum side effects, join), then its own edges, unless it is a
 * joinOnQuorum member, whose routing the group owns; last, a waitAll group whose members have all
 * ended takes its own branch. Cancelled steps only count for their group;
 * a step of an iteration a loop restart already left is not routed at all.
 */
export const settleStep = (tx: Tx, stepId: string): void => {
  if (!tx.running) return;
  const step = tx.step(stepId);
  if (step.status === 'cancelled') {
    accountMember(tx, step);
    settleWaitAllBranches(tx, step);
    return;
  }
  if (superseded(tx, step)) {
    step.routed = true;
    return;
  }
  if (disposeLoop(tx, step)) {
    step.routed = true;
    return;
  }
  accountMember(tx, step);
  if (isJoinMember(tx, step)) {
    step.routed = true;
    return;
  }
  fanOut(tx, step);
  settleWaitAllBranches(tx, step);
};

/** Drains the agenda; routing may finish further steps, which join the queue. */
export const drainAgenda = (tx: Tx): void => {
  for (let next = tx.agenda.shift(); next !== undefined; next = tx.agenda.shift()) settleStep(tx, next);
};
