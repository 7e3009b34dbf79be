import { describe, expect, it } from 'vitest';
import { parallelReviewDefinition } from '../fixtures/definitions';
import { cancelOnQuorumDefinition, draftLoopDefinition, requiredNodesDefinition } from '../fixtures/execution-definitions';
import { createAndDispatch, decide as decideAs, expectError, freshId, ok } from '../support/rest-api';
import { allEvents, eventTypes, getExecution, stepOf, stepsOf, waitForExecution, waitForStatus, waitForStep } from '../support/rest-api';
import type { EventWire, ExecutionWire, StepWire } from '../support/rest-api';
import { useEngine } from '../support/engine';

const { admin } = useEngine();

const decide = (executionId: string, stepId: string, reviewerId: string, decision: 'approve' | 'reject', reason?: string) =>
  decideAs(admin, executionId, stepId, reviewerId, decision, reason);

/** Waits until every listed node has a waiting step; returns the view. */
const waitForWaiting = (executionId: string, nodeIds: string[]): Promise<ExecutionWire> =>
  waitForExecution(
    admin,
    executionId,
    (view) => nodeIds.every((nodeId) => view.steps.some((step) => step.nodeId === nodeId && step.status === 'waiting')),
    `waiting ${nodeIds.join(', ')}`,
  );

const waitingStep = (view: ExecutionWire, nodeId: string): StepWire => {
  const step = view.steps.find((candidate) => candidate.nodeId === nodeId && candidate.status === 'waiting');
  if (!step) throw new Error(`no waiting ${nodeId} step`);
  return step;
};

const indexOf = (events: EventWire[], type: string, stepId?: string): number =>
  events.findIndex((event) => event.type === type && (stepId === undefined || event.stepId === stepId));

describe('joinOnQuorum: the published parallel review and its documented event sequence', () => {
  it('emits the documented events and creates exactly one publish step', async () => {
    const executionId = await createAndDispatch(admin, parallelReviewDefinition(freshId('join')));
    const open = await waitForWaiting(executionId, ['human-legal', 'human-brand']);
    const draft = stepOf(open, 'agent-draft');
    const legal = stepOf(open, 'human-legal');
    const brand = stepOf(open, 'human-brand');
    expect(legal.stepId).toBe(`${draft.stepId}__to__human-legal`);
    expect(brand.stepId).toBe(`${draft.stepId}__to__human-brand`);
    expect(legal.groupId).toBe('parallel-review');
    expect(brand.groupId).toBe('parallel-review');
    expect(open.status).toBe('running');

    // 1. Dispatch.
    const first = await allEvents(admin, executionId);
    expect(eventTypes(first)).toEqual(['execution.dispatched', 'step.completed', 'step.awaiting-approval', 'step.awaiting-approval']);
    expect(first.map((event) => event.stepId)).toEqual([null, draft.stepId, legal.stepId, brand.stepId]);

    // 2. Legal approves: its step completes, nothing fans out yet.
    expect(ok(await decide(executionId, legal.stepId, 'u_legal_01', 'approve'))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    const afterLegal = await getExecution(admin, executionId);
    expect(stepsOf(afterLegal, 'agent-publish')).toEqual([]);
    expect(eventTypes(await allEvents(admin, executionId)).slice(4)).toEqual(['step.completed']);

    // 3. Brand approves: quorum, one joined publish step, the run completes.
    ok(await decide(executionId, brand.stepId, 'u_brand_01', 'approve'));
    const done = await waitForStatus(admin, executionId, 'completed');
    const publish = stepsOf(done, 'agent-publish');
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({ stepId: 'group_parallel-review__to__agent-publish', status: 'completed', groupId: null });
    if (publish[0]!.input !== undefined) {
      expect(publish[0]!.input).toMatchObject({ groupId: 'parallel-review', quorum: 2, totalApproved: 2 });
      expect(Object.keys(publish[0]!.input.groupOutputs).sort()).toEqual(['human-brand', 'human-legal']);
    }

    const events = await allEvents(admin, executionId);
    expect(eventTypes(events)).toEqual([
      'execution.dispatched',
      'step.completed',
      'step.awaiting-approval',
      'step.awaiting-approval',
      'step.completed',
      'step.completed',
      'group.quorum-met',
      'step.completed',
      'execution.completed',
    ]);
    // group.quorum-met is a group-level event; which stepId it carries is not fixed by the contract.
    expect(events.filter((event) => event.type !== 'group.quorum-met').map((event) => event.stepId)).toEqual([
      null,
      draft.stepId,
      legal.stepId,
      brand.stepId,
      legal.stepId,
      brand.stepId,
      'group_parallel-review__to__agent-publish',
      null,
    ]);
    expect(events[6]!.data).toMatchObject({ groupId: 'parallel-review', quorum: 2, expectedSteps: 2, total: 2 });
  });
});

describe('cancelOnQuorum with three reviewers and quorum 2', () => {
  it('cancels the third reviewer once two approve; the approvers fan out, the cancelled one does not', async () => {
    const executionId = await createAndDispatch(admin, cancelOnQuorumDefinition(freshId('coq')));
    const open = await waitForWaiting(executionId, ['human-legal', 'human-brand', 'human-finance']);
    const legal = waitingStep(open, 'human-legal');
    const brand = waitingStep(open, 'human-brand');
    const finance = waitingStep(open, 'human-finance');

    ok(await decide(executionId, legal.stepId, 'u_legal_01', 'approve'));
    expect(stepOf(await getExecution(admin, executionId), 'human-finance').status).toBe('waiting');
    ok(await decide(executionId, brand.stepId, 'u_brand_01', 'approve'));

    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'human-finance').status).toBe('cancelled');
    expect(
      stepsOf(done, 'agent-publish')
        .map((step) => step.stepId)
        .sort(),
    ).toEqual([`${brand.stepId}__to__agent-publish`, `${legal.stepId}__to__agent-publish`].sort());
    expect(stepsOf(done, 'agent-publish').every((step) => step.status === 'completed')).toBe(true);
    expect(done.steps.some((step) => step.stepId.startsWith(`${finance.stepId}__to__`))).toBe(false);
    expect(stepsOf(done, 'agent-rework')).toEqual([]);

    const events = await allEvents(admin, executionId);
    const quorum = indexOf(events, 'group.quorum-met');
    expect(events.filter((event) => event.type === 'group.quorum-met')).toHaveLength(1);
    expect(events[quorum]!.data).toMatchObject({ groupId: 'review-panel', quorum: 2, expectedSteps: 3 });
    const cancelled = events.filter((event) => event.type === 'step.cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.stepId).toBe(finance.stepId);
    expect(cancelled[0]!.data).toEqual({ actorId: 'system:group-quorum', reason: 'group-quorum-met' });
    expect(indexOf(events, 'step.completed', brand.stepId)).toBeLessThan(quorum);
    expect(quorum).toBeLessThan(indexOf(events, 'step.cancelled', finance.stepId));
    expect(events.at(-1)!.type).toBe('execution.completed');

    expectError(await decide(executionId, finance.stepId, 'u_finance_01', 'approve'), 'FAILED_PRECONDITION', 400);
  });
});

describe('requiredNodeIds', () => {
  it('does not meet quorum until the required member approves', async () => {
    const executionId = await createAndDispatch(admin, requiredNodesDefinition(freshId('req')));
    const open = await waitForWaiting(executionId, ['human-legal', 'human-brand', 'human-finance']);

    ok(await decide(executionId, waitingStep(open, 'human-brand').stepId, 'u_brand_01', 'approve'));
    ok(await decide(executionId, waitingStep(open, 'human-finance').stepId, 'u_finance_01', 'approve'));
    // Two approvals reach the quorum count, but human-legal is required.
    const pending = await getExecution(admin, executionId);
    expect(pending.status).toBe('running');
    expect(stepsOf(pending, 'agent-publish')).toEqual([]);
    expect(stepOf(pending, 'human-legal').status).toBe('waiting');
    expect(eventTypes(await allEvents(admin, executionId))).not.toContain('group.quorum-met');

    ok(await decide(executionId, waitingStep(open, 'human-legal').stepId, 'u_legal_01', 'approve'));
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'agent-publish').map((step) => step.stepId)).toEqual(['group_legal-panel__to__agent-publish']);
    expect(stepOf(done, 'agent-publish').status).toBe('completed');
    const events = await allEvents(admin, executionId);
    expect(events.filter((event) => event.type === 'group.quorum-met')).toHaveLength(1);
    expect(events.find((event) => event.type === 'group.quorum-met')!.data).toMatchObject({ groupId: 'legal-panel', quorum: 2 });
  });

  it('fails the execution with group-quorum-unmet when the required member rejects', async () => {
    const executionId = await createAndDispatch(admin, requiredNodesDefinition(freshId('req-no')));
    const open = await waitForWaiting(executionId, ['human-legal', 'human-brand', 'human-finance']);
    ok(await decide(executionId, waitingStep(open, 'human-brand').stepId, 'u_brand_01', 'approve'));
    ok(await decide(executionId, waitingStep(open, 'human-finance').stepId, 'u_finance_01', 'approve'));
    ok(await decide(executionId, waitingStep(open, 'human-legal').stepId, 'u_legal_01', 'reject', 'not compliant'));

    const done = await waitForStatus(admin, executionId, 'failed');
    expect(done.failureReason?.code).toBe('group-quorum-unmet');
    // joinOnQuorum owns the members' routing: neither the join nor a member's onReject route fires.
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
    expect(stepsOf(done, 'agent-rework')).toEqual([]);
    const events = await allEvents(admin, executionId);
    expect(eventTypes(events)).not.toContain('group.quorum-met');
    expect(events.at(-1)!.type).toBe('execution.failed');
  });
});

describe('loops', () => {
  /** Rejects the current iteration's waiting review and returns the rejected step. */
  const rejectCurrent = async (executionId: string, iteration: number, reason: string): Promise<StepWire> => {
    const view = await waitForExecution(
      admin,
      executionId,
      (candidate) =>
        stepsOf(candidate, 'human-review').filter((step) => step.status === 'waiting').length === 1 &&
        stepsOf(candidate, 'human-review').length === iteration,
      `iteration ${iteration} waiting for review`,
    );
    const review = waitingStep(view, 'human-review');
    expect(ok(await decide(executionId, review.stepId, 'u_editor', 'reject', reason))).toEqual({
      recorded: true,
      aggregatorStatus: 'rejected',
      resumeScheduled: true,
    });
    return review;
  };

  it('rewinds twice on mandatory rejections, then publishes on approval', async () => {
    const executionId = await createAndDispatch(admin, draftLoopDefinition(freshId('loop'), { maxIterations: 3 }));
    const firstReview = await rejectCurrent(executionId, 1, 'too long');
    const secondReview = await rejectCurrent(executionId, 2, 'still too long');
    const third = await waitForExecution(
      admin,
      executionId,
      (view) => stepsOf(view, 'human-review').length === 3 && stepsOf(view, 'human-review')[2]!.status === 'waiting',
      'iteration 3 waiting for review',
    );
    const thirdReview = waitingStep(third, 'human-review');
    expect(ok(await decide(executionId, thirdReview.stepId, 'u_editor', 'approve'))).toMatchObject({ aggregatorStatus: 'resolved' });
    const done = await waitForStatus(admin, executionId, 'completed');

    const drafts = stepsOf(done, 'agent-draft');
    const reviews = stepsOf(done, 'human-review');
    expect(drafts).toHaveLength(3);
    expect(reviews).toHaveLength(3);
    const [draft1, draft2, draft3] = drafts as [StepWire, StepWire, StepWire];
    expect(draft2.stepId).toBe(`${draft1.stepId}__iter_2`);
    expect(draft3.stepId).toBe(`${draft1.stepId}__iter_3`);
    expect(reviews.map((step) => step.stepId)).toEqual([firstReview.stepId, secondReview.stepId, thirdReview.stepId]);
    expect(secondReview.stepId.endsWith('__iter_2')).toBe(true);
    expect(thirdReview.stepId.endsWith('__iter_3')).toBe(true);
    // Rejected iterations completed with decision reject; they were not cancelled.
    expect(reviews.map((step) => [step.status, step.output.decision])).toEqual([
      ['completed', 'reject'],
      ['completed', 'reject'],
      ['completed', 'approve'],
    ]);
    expect(drafts.every((step) => step.status === 'completed')).toBe(true);
    const publish = stepsOf(done, 'agent-publish');
    expect(publish.map((step) => step.stepId)).toEqual([`${thirdReview.stepId}__to__agent-publish`]);

    // Entry step inputs carry the earlier attempts.
    expect(draft2.input).toMatchObject({ iteration: 2, loopId: 'draft-loop' });
    expect(draft2.input!.previousAttempts).toHaveLength(1);
    expect(draft2.input!.previousAttempts[0]).toMatchObject({
      iteration: 1,
      rejectedBy: 'u_editor',
      rejectorMandatory: true,
      rejectionReason: 'too long',
      rejectedAt: expect.any(Number),
      authorOutput: expect.any(Object),
    });
    expect(draft3.input).toMatchObject({ iteration: 3, loopId: 'draft-loop' });
    expect(draft3.input!.previousAttempts.map((attempt: any) => [attempt.iteration, attempt.rejectionReason])).toEqual([
      [1, 'too long'],
      [2, 'still too long'],
    ]);

    const events = await allEvents(admin, executionId);
    const iterations = events.filter((event) => event.type === 'loop.iteration-started');
    expect(iterations.map((event) => event.data)).toEqual([
      { loopId: 'draft-loop', iteration: 2, triggeredBy: 'rejection' },
      { loopId: 'draft-loop', iteration: 3, triggeredBy: 'rejection' },
    ]);
    expect(indexOf(events, 'step.completed', firstReview.stepId)).toBeLessThan(events.indexOf(iterations[0]!));
    expect(events.indexOf(iterations[0]!)).toBeLessThan(indexOf(events, 'step.completed', draft2.stepId));
    expect(eventTypes(events)).not.toContain('loop.exhausted');
    expect(events.at(-1)!.type).toBe('execution.completed');
  });

  it('exhausts after maxIterations and routes to onExhausted with the attempts', async () => {
    const executionId = await createAndDispatch(admin, draftLoopDefinition(freshId('loop-ex'), { maxIterations: 2, exhaustedRoute: true }));
    await rejectCurrent(executionId, 1, 'first try');
    const lastReview = await rejectCurrent(executionId, 2, 'second try');
    const done = await waitForStatus(admin, executionId, 'completed');

    expect(stepsOf(done, 'agent-draft')).toHaveLength(2);
    expect(stepsOf(done, 'human-review')).toHaveLength(2);
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
    const escalate = stepOf(done, 'agent-escalate');
    expect(escalate.stepId).toBe('loop_draft-loop__exhausted__to__agent-escalate');
    expect(escalate.status).toBe('completed');
    expect(escalate.input?.previousAttempts?.map((attempt: any) => attempt.rejectionReason)).toEqual(['first try', 'second try']);
    expect(done.failureReason).toBeNull();

    const events = await allEvents(admin, executionId);
    const exhausted = events.filter((event) => event.type === 'loop.exhausted');
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]!.data).toMatchObject({ loopId: 'draft-loop', iteration: 2, lastRejectedBy: 'u_editor' });
    expect(events.filter((event) => event.type === 'loop.iteration-started')).toHaveLength(1);
    expect(indexOf(events, 'step.completed', lastReview.stepId)).toBeLessThan(events.indexOf(exhausted[0]!));
    expect(events.indexOf(exhausted[0]!)).toBeLessThan(indexOf(events, 'step.completed', escalate.stepId));
    expect(events.at(-1)!.type).toBe('execution.completed');
  });

  it('exhausts without a route and fails the execution', async () => {
    const executionId = await createAndDispatch(admin, draftLoopDefinition(freshId('loop-fail'), { maxIterations: 2 }));
    await rejectCurrent(executionId, 1, 'no');
    await rejectCurrent(executionId, 2, 'still no');
    const done = await waitForStatus(admin, executionId, 'failed');
    expect(done.failureReason?.code).toBe('loop-exhausted');
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
    expect(stepsOf(done, 'human-review')).toHaveLength(2);
    const events = await allEvents(admin, executionId);
    expect(events.filter((event) => event.type === 'loop.exhausted')).toHaveLength(1);
    expect(eventTypes(events).slice(-2)).toEqual(['loop.exhausted', 'execution.failed']);
  });

  it('a loop with maxIterations 3 does not rewind on an approval in iteration 1', async () => {
    const executionId = await createAndDispatch(admin, draftLoopDefinition(freshId('loop-ok'), { maxIterations: 3 }));
    const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    ok(await decide(executionId, step.stepId, 'u_editor', 'approve'));
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'agent-draft')).toHaveLength(1);
    expect(stepOf(done, 'agent-publish').status).toBe('completed');
    expect(eventTypes(await allEvents(admin, executionId)).filter((type) => type.startsWith('loop.'))).toEqual([]);
  });
});
