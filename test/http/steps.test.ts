import { describe, expect, it } from 'vitest';
import {
  draftThenReviewDefinition,
  failingAgentDefinition,
  reviewDefinition,
  reviewersOf,
  singleAgentDefinition,
  slaDefinition,
  slowAgentDefinition,
  twoReviewersDefinition,
  type Reviewer,
} from '../fixtures/execution-definitions';
import { createAndDispatch, decide, expectError, freshId, ok } from '../support/rest-api';
import { allEvents, eventTypes, getExecution, stepOf, stepsOf, waitForStatus, waitForStep, waitForTerminal } from '../support/rest-api';
import type { StepWire } from '../support/rest-api';
import { useEngine, type Caller } from '../support/engine';

const { admin, member } = useEngine();

const { mandatory, optional } = reviewersOf;
const UNKNOWN_EXECUTION = 'exec_1777374504255_zzzzzzzz';

const resolve = (
  caller: Caller,
  executionId: string,
  stepId: string,
  action: string,
  actorId: string,
  extra: Record<string, unknown> = {},
) => caller.post('steps/resolve', { executionId, stepId, action, actorId, ...extra });

const cancelStep = (caller: Caller, executionId: string, stepId: string, actorId: string, reason?: string) =>
  caller.post('steps/cancel', { executionId, stepId, actorId, ...(reason ? { reason } : {}) });

/** Dispatches a review (plus the `human-hold` step that keeps the run open) and waits for the review to wait. */
const openReview = async (reviewers: Reviewer[] = [mandatory('u_editor')], hold = true) => {
  const executionId = await createAndDispatch(admin, reviewDefinition(freshId('review'), { reviewers, hold }));
  const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
  return { executionId, stepId: step.stepId };
};

const currentStep = async (executionId: string, stepId: string): Promise<StepWire> => {
  const view = await getExecution(admin, executionId);
  const step = view.steps.find((candidate) => candidate.stepId === stepId);
  if (!step) throw new Error(`no step ${stepId}`);
  return step;
};

describe('steps/recordReviewerDecision errors', () => {
  it('answers NOT_FOUND for an unknown execution or step', async () => {
    const { executionId } = await openReview();
    expectError(await decide(admin, UNKNOWN_EXECUTION, 'step_x', 'u_editor', 'approve'), 'NOT_FOUND', 404);
    expectError(await decide(admin, executionId, 'step_human-review_1_abcdef', 'u_editor', 'approve'), 'NOT_FOUND', 404);
  });

  it('answers FAILED_PRECONDITION for an agent step', async () => {
    const executionId = await createAndDispatch(admin, draftThenReviewDefinition(freshId('agent-step')));
    const { view } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    const draft = stepOf(view, 'agent-draft');
    expect(draft.status).toBe('completed');
    expectError(await decide(admin, executionId, draft.stepId, 'u_editor', 'approve'), 'FAILED_PRECONDITION', 400);
  });

  it('answers FAILED_PRECONDITION for a step that has already completed', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_lead'), optional('u_peer')]);
    expect(ok(await decide(admin, executionId, stepId, 'u_lead', 'approve'))).toMatchObject({ aggregatorStatus: 'resolved' });
    expect((await currentStep(executionId, stepId)).status).toBe('completed');
    expectError(await decide(admin, executionId, stepId, 'u_peer', 'reject'), 'FAILED_PRECONDITION', 400);
    expect((await currentStep(executionId, stepId)).output.decision).toBe('approve');
  });

  it.each([
    ['a bad decision', { decision: 'maybe' }, 'data.decision'],
    ['a missing reviewerId', { reviewerId: undefined }, 'data.reviewerId'],
    ['a reason over 2000 chars', { reason: 'r'.repeat(2001) }, 'data.reason'],
  ])('answers INVALID_ARGUMENT for %s', async (_label, patch, field) => {
    const body = { executionId: UNKNOWN_EXECUTION, stepId: 'step_x', reviewerId: 'u_editor', decision: 'approve', ...patch };
    const error = expectError(await admin.post('steps/recordReviewerDecision', body), 'INVALID_ARGUMENT', 400);
    expect(error.message).toContain(field);
  });
});

describe('the human aggregator', () => {
  it('answers recorded:false to a replay by the same reviewer, with no counter change', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_a'), mandatory('u_b')]);
    expect(ok(await decide(admin, executionId, stepId, 'u_a', 'approve'))).toEqual({
      recorded: true,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
    });
    // A replay is not applied, whatever it says.
    expect(ok(await decide(admin, executionId, stepId, 'u_a', 'reject'))).toEqual({
      recorded: false,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
    });
    const step = await currentStep(executionId, stepId);
    expect(step.status).toBe('waiting');
    expect(step.output).toMatchObject({ approveCount: 1, rejectCount: 0, totalResponses: 1, mandatoryApproveCount: 1 });
  });

  it('records an unknown reviewer without moving any counter and keeps it in output.unknownResponders', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_a')]);
    expect(ok(await decide(admin, executionId, stepId, 'u_stranger', 'reject'))).toEqual({
      recorded: true,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
    });
    const step = await currentStep(executionId, stepId);
    expect(step.status).toBe('waiting');
    expect(step.output).toMatchObject({ approveCount: 0, rejectCount: 0, totalResponses: 0, mandatoryApproveCount: 0 });
    expect(JSON.stringify(step.output.unknownResponders)).toContain('u_stranger');
    // The step still resolves on its declared reviewer.
    expect(ok(await decide(admin, executionId, stepId, 'u_a', 'approve'))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    expect((await currentStep(executionId, stepId)).output.decision).toBe('approve');
  });

  it('resolves once every mandatory reviewer approved; optional approvals count but are not required', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_m1'), mandatory('u_m2'), optional('u_opt')]);
    expect(ok(await decide(admin, executionId, stepId, 'u_opt', 'approve')).aggregatorStatus).toBe('pending');
    expect(ok(await decide(admin, executionId, stepId, 'u_m1', 'approve')).aggregatorStatus).toBe('pending');
    expect((await currentStep(executionId, stepId)).status).toBe('waiting');
    expect(ok(await decide(admin, executionId, stepId, 'u_m2', 'approve'))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    const view = await waitForStep(admin, executionId, 'agent-publish', 'completed').then((found) => found.view);
    const step = stepOf(view, 'human-review');
    expect(step.status).toBe('completed');
    expect(step.output).toMatchObject({
      decision: 'approve',
      approved: true,
      aggregatorStatus: 'resolved',
      approveCount: 3,
      totalResponses: 3,
      mandatoryCount: 2,
      mandatoryApproveCount: 2,
    });
    expect(stepOf(view, 'agent-publish').stepId).toBe(`${stepId}__to__agent-publish`);
  });

  it('resolves with mandatory reviewers only, without waiting for the optional one', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_m1'), optional('u_opt')]);
    expect(ok(await decide(admin, executionId, stepId, 'u_m1', 'approve'))).toMatchObject({
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    expect((await currentStep(executionId, stepId)).output.mandatoryApproveCount).toBe(1);
  });

  it('rejects on an optional reviewer rejection, with rejectedBy and rejectorMandatory false', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_m1'), optional('u_opt')]);
    expect(ok(await decide(admin, executionId, stepId, 'u_opt', 'reject', 'off brand'))).toEqual({
      recorded: true,
      aggregatorStatus: 'rejected',
      resumeScheduled: true,
    });
    const { view } = await waitForStep(admin, executionId, 'agent-rework', 'completed');
    expect(stepOf(view, 'human-review').output).toMatchObject({
      decision: 'reject',
      approved: false,
      aggregatorStatus: 'rejected',
      rejectedBy: 'u_opt',
      rejectorMandatory: false,
    });
    expect(stepsOf(view, 'agent-publish')).toEqual([]);
  });

  it('lets the first rejection win: rejectedBy names it, later decisions are refused', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_m1'), mandatory('u_m2'), mandatory('u_m3')]);
    expect(ok(await decide(admin, executionId, stepId, 'u_m1', 'approve')).aggregatorStatus).toBe('pending');
    expect(ok(await decide(admin, executionId, stepId, 'u_m2', 'reject', 'wrong price'))).toEqual({
      recorded: true,
      aggregatorStatus: 'rejected',
      resumeScheduled: true,
    });
    expectError(await decide(admin, executionId, stepId, 'u_m3', 'reject', 'me too'), 'FAILED_PRECONDITION', 400);
    const step = await currentStep(executionId, stepId);
    expect(step.status).toBe('completed');
    expect(step.output).toMatchObject({ decision: 'reject', rejectedBy: 'u_m2', rejectorMandatory: true, approveCount: 1, rejectCount: 1 });
  });

  it('turns 10 concurrent decisions of 10 mandatory reviewers into exactly one resume', async () => {
    const reviewers = Array.from({ length: 10 }, (_, index) => mandatory(`u_r${index}`));
    const { executionId, stepId } = await openReview(reviewers);
    const responses = await Promise.all(reviewers.map((reviewer) => decide(admin, executionId, stepId, reviewer.userId, 'approve')));
    const results = responses.map((response) => ok(response));
    expect(results.every((result) => result.recorded === true)).toBe(true);
    expect(results.filter((result) => result.resumeScheduled)).toHaveLength(1);
    expect(results.find((result) => result.resumeScheduled)!.aggregatorStatus).toBe('resolved');
    expect(results.filter((result) => !result.resumeScheduled).every((result) => result.aggregatorStatus === 'pending')).toBe(true);

    const { view } = await waitForStep(admin, executionId, 'agent-publish', 'completed');
    expect(stepsOf(view, 'agent-publish')).toHaveLength(1);
    expect(stepOf(view, 'human-review').output).toMatchObject({ approveCount: 10, mandatoryApproveCount: 10, totalResponses: 10 });
    const events = await allEvents(admin, executionId);
    expect(events.filter((event) => event.type === 'step.completed' && event.stepId === stepId)).toHaveLength(1);
  });

  it('turns 10 concurrent identical decisions into one recorded decision and one resume', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_editor')]);
    const responses = await Promise.all(Array.from({ length: 10 }, () => decide(admin, executionId, stepId, 'u_editor', 'approve')));
    const results = responses.map((response) => ok(response));
    expect(results.filter((result) => result.recorded)).toHaveLength(1);
    expect(results.filter((result) => result.resumeScheduled)).toHaveLength(1);
    expect(results.find((result) => result.recorded)).toEqual({ recorded: true, aggregatorStatus: 'resolved', resumeScheduled: true });
    expect(results.filter((result) => !result.recorded).every((result) => result.resumeScheduled === false)).toBe(true);

    const { view } = await waitForStep(admin, executionId, 'agent-publish', 'completed');
    expect(stepsOf(view, 'agent-publish')).toHaveLength(1);
    expect(stepOf(view, 'human-review').output.totalResponses).toBe(1);
    const events = await allEvents(admin, executionId);
    expect(events.filter((event) => event.type === 'step.completed' && event.stepId === stepId)).toHaveLength(1);
  });
});

describe('SLA breach', () => {
  it('breaches a waiting step after slaMs, fires the breach edge, and refuses a later decision', async () => {
    const executionId = await createAndDispatch(admin, slaDefinition(freshId('sla'), 1500));
    // No wait for `waiting` first: on a slow machine the 1.5 s SLA could expire between two polls.
    const done = await waitForStatus(admin, executionId, 'completed');

    const review = stepOf(done, 'human-review');
    expect(review.status).toBe('breached');
    expect(review.completedAt).toEqual(expect.any(Number));
    const escalate = stepOf(done, 'agent-escalate');
    expect(escalate.stepId).toBe(`${review.stepId}__to__agent-escalate`);
    expect(escalate.status).toBe('completed');
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
    expect(stepsOf(done, 'agent-rework')).toEqual([]);
    expect(done.failureReason).toBeNull();

    const events = await allEvents(admin, executionId);
    expect(eventTypes(events)).toEqual([
      'execution.dispatched',
      'step.awaiting-approval',
      'step.breached',
      'step.completed',
      'execution.completed',
    ]);
    expect(events[2]!.stepId).toBe(review.stepId);
    expect(typeof events[2]!.data?.reason).toBe('string');
    expect(events[3]!.stepId).toBe(escalate.stepId);

    expectError(await decide(admin, executionId, review.stepId, 'u_editor', 'approve'), 'FAILED_PRECONDITION', 400);
  });
});

describe('steps/cancel', () => {
  it('is admin only: a member token gets PERMISSION_DENIED and the step stays open', async () => {
    const { executionId, stepId } = await openReview();
    expectError(await cancelStep(member, executionId, stepId, 'u_member'), 'PERMISSION_DENIED', 403);
    expect((await currentStep(executionId, stepId)).status).toBe('waiting');
  });

  it('cancels one waiting step: its edges never fire, siblings keep running', async () => {
    const executionId = await createAndDispatch(admin, twoReviewersDefinition(freshId('cancel-step')));
    await waitForStep(admin, executionId, 'human-legal', 'waiting');
    const { view } = await waitForStep(admin, executionId, 'human-brand', 'waiting');
    const legal = stepOf(view, 'human-legal');
    const brand = stepOf(view, 'human-brand');

    const response = ok(await cancelStep(admin, executionId, legal.stepId, 'ops-admin', 'duplicate review'));
    expect(response).toEqual({ cancelled: true, executionId, stepId: legal.stepId });
    const after = await getExecution(admin, executionId);
    expect(stepOf(after, 'human-legal').status).toBe('cancelled');
    expect(stepOf(after, 'human-brand').status).toBe('waiting');
    expect(after.status).toBe('running');
    const cancelled = (await allEvents(admin, executionId)).filter((event) => event.type === 'step.cancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.stepId).toBe(legal.stepId);
    expect(cancelled[0]!.data).toMatchObject({ actorId: 'ops-admin', reason: 'duplicate review' });

    // Already terminal.
    expectError(await cancelStep(admin, executionId, legal.stepId, 'ops-admin'), 'FAILED_PRECONDITION', 400);
    expectError(await decide(admin, executionId, legal.stepId, 'u_legal', 'approve'), 'FAILED_PRECONDITION', 400);

    ok(await decide(admin, executionId, brand.stepId, 'u_brand', 'approve'));
    const done = await waitForTerminal(admin, executionId);
    const publish = stepsOf(done, 'agent-publish');
    expect(publish.map((step) => step.stepId)).toEqual([`${brand.stepId}__to__agent-publish`]);
    expect(stepsOf(done, 'agent-rework')).toEqual([]);
    // A cancelled branch ends without failing the run.
    expect(done.status).toBe('completed');
  });

  it('cancels a running agent step: nothing downstream is created', async () => {
    const executionId = await createAndDispatch(admin, slowAgentDefinition(freshId('cancel-agent'), { side: true }));
    const { step } = await waitForStep(admin, executionId, 'agent-slow', 'running');
    expect(ok(await cancelStep(admin, executionId, step.stepId, 'ops-admin'))).toEqual({
      cancelled: true,
      executionId,
      stepId: step.stepId,
    });
    const after = await getExecution(admin, executionId);
    expect(stepOf(after, 'agent-slow').status).toBe('cancelled');
    expect(stepsOf(after, 'agent-next')).toEqual([]);
    expect(after.status).toBe('running');
    ok(await admin.post('executions/cancel', { executionId }));
  });

  it('answers FAILED_PRECONDITION for a completed step, NOT_FOUND for unknown ids, INVALID_ARGUMENT without actorId', async () => {
    const executionId = await createAndDispatch(admin, draftThenReviewDefinition(freshId('cancel-done')));
    const { view } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    expectError(await cancelStep(admin, executionId, stepOf(view, 'agent-draft').stepId, 'ops-admin'), 'FAILED_PRECONDITION', 400);
    expectError(await cancelStep(admin, executionId, 'step_nope_1_abcdef', 'ops-admin'), 'NOT_FOUND', 404);
    expectError(await cancelStep(admin, UNKNOWN_EXECUTION, 'step_nope_1_abcdef', 'ops-admin'), 'NOT_FOUND', 404);
    const error = expectError(
      await admin.post('steps/cancel', { executionId, stepId: stepOf(view, 'human-review').stepId }),
      'INVALID_ARGUMENT',
      400,
    );
    expect(error.message).toContain('data.actorId');
  });
});

describe('steps/resolve', () => {
  it('force-approve: completes a waiting human step with decision approve set by the engine; approve edges fire', async () => {
    const { executionId, stepId } = await openReview();
    const response = ok(
      await resolve(admin, executionId, stepId, 'force-approve', 'ops-admin', {
        reason: 'approved offline',
        output: { decision: 'reject', approved: false, ticket: 'OPS-1' },
      }),
    );
    expect(response).toEqual({ resolved: true, executionId, stepId, action: 'force-approve' });
    const { view } = await waitForStep(admin, executionId, 'agent-publish', 'completed');
    const step = stepOf(view, 'human-review');
    expect(step.status).toBe('completed');
    expect(step.output).toMatchObject({ decision: 'approve', approved: true, ticket: 'OPS-1' });
    expect(stepOf(view, 'agent-publish').stepId).toBe(`${stepId}__to__agent-publish`);
    expect(stepsOf(view, 'agent-rework')).toEqual([]);
    const completed = (await allEvents(admin, executionId)).find((event) => event.type === 'step.completed' && event.stepId === stepId);
    expect(completed?.data).toMatchObject({ decision: 'approve', nodeType: 'human' });

    // The step is terminal now.
    expectError(await resolve(admin, executionId, stepId, 'force-approve', 'ops-admin'), 'FAILED_PRECONDITION', 400);
    expectError(await resolve(admin, executionId, stepId, 'force-reject', 'ops-admin'), 'FAILED_PRECONDITION', 400);
    expectError(await resolve(admin, executionId, stepId, 'force-fail', 'ops-admin'), 'FAILED_PRECONDITION', 400);
  });

  it('force-reject: decision reject, reject edges fire, no rejectedBy', async () => {
    const { executionId, stepId } = await openReview();
    expect(ok(await resolve(admin, executionId, stepId, 'force-reject', 'ops-admin', { reason: 'legal hold' }))).toEqual({
      resolved: true,
      executionId,
      stepId,
      action: 'force-reject',
    });
    const { view } = await waitForStep(admin, executionId, 'agent-rework', 'completed');
    const step = stepOf(view, 'human-review');
    expect(step.output).toMatchObject({ decision: 'reject', approved: false });
    expect(step.output.rejectedBy).toBeUndefined();
    expect(step.output.rejectorMandatory).toBeUndefined();
    expect(stepsOf(view, 'agent-publish')).toEqual([]);
  });

  it('reviewer-approve works with a member token for a declared reviewer', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_editor'), mandatory('u_second')]);
    expect(ok(await resolve(member, executionId, stepId, 'reviewer-approve', 'u_second'))).toEqual({
      resolved: true,
      executionId,
      stepId,
      action: 'reviewer-approve',
    });
    const { view } = await waitForStep(admin, executionId, 'agent-publish', 'completed');
    expect(stepOf(view, 'human-review').output).toMatchObject({ decision: 'approve', approved: true });
  });

  it('reviewer-reject: PERMISSION_DENIED for a non-reviewer; a declared reviewer rejects without rejectedBy', async () => {
    const { executionId, stepId } = await openReview();
    expectError(await resolve(member, executionId, stepId, 'reviewer-reject', 'u_intruder'), 'PERMISSION_DENIED', 403);
    expectError(await resolve(admin, executionId, stepId, 'reviewer-approve', 'u_intruder'), 'PERMISSION_DENIED', 403);
    expect((await currentStep(executionId, stepId)).status).toBe('waiting');

    ok(await resolve(member, executionId, stepId, 'reviewer-reject', 'u_editor', { reason: 'typos' }));
    const { view } = await waitForStep(admin, executionId, 'agent-rework', 'completed');
    const step = stepOf(view, 'human-review');
    expect(step.output.decision).toBe('reject');
    expect(step.output.rejectedBy).toBeUndefined();
  });

  it.each(['force-approve', 'force-reject', 'force-complete', 'force-fail'])(
    '%s with a member token is PERMISSION_DENIED',
    async (action) => {
      const { executionId, stepId } = await openReview();
      expectError(await resolve(member, executionId, stepId, action, 'u_editor'), 'PERMISSION_DENIED', 403);
      expect((await currentStep(executionId, stepId)).status).toBe('waiting');
    },
  );

  it('force-approve and force-reject on an agent step are FAILED_PRECONDITION', async () => {
    const executionId = await createAndDispatch(admin, slowAgentDefinition(freshId('fa-agent')));
    const { step } = await waitForStep(admin, executionId, 'agent-slow', 'running');
    expectError(await resolve(admin, executionId, step.stepId, 'force-approve', 'ops-admin'), 'FAILED_PRECONDITION', 400);
    expectError(await resolve(admin, executionId, step.stepId, 'force-reject', 'ops-admin'), 'FAILED_PRECONDITION', 400);
    expect((await currentStep(executionId, step.stepId)).status).toBe('running');
    ok(await admin.post('executions/cancel', { executionId }));
  });

  it('force-complete on a running agent step writes the caller output and fires edges as on a completion', async () => {
    const executionId = await createAndDispatch(admin, slowAgentDefinition(freshId('fc-agent')));
    const { step } = await waitForStep(admin, executionId, 'agent-slow', 'running');
    expect(
      ok(
        await resolve(admin, executionId, step.stepId, 'force-complete', 'ops-admin', {
          output: { decision: 'approve', note: 'done by hand' },
        }),
      ),
    ).toEqual({ resolved: true, executionId, stepId: step.stepId, action: 'force-complete' });
    const done = await waitForStatus(admin, executionId, 'completed');
    const slow = stepOf(done, 'agent-slow');
    expect(slow.status).toBe('completed');
    expect(slow.output).toMatchObject({ decision: 'approve', note: 'done by hand' });
    expect(stepOf(done, 'agent-next').stepId).toBe(`${step.stepId}__to__agent-next`);
  });

  it('force-fail on a running agent step fails it and fires the edge routing on failed', async () => {
    const executionId = await createAndDispatch(admin, slowAgentDefinition(freshId('ff-agent'), { failEdge: true }));
    const { step } = await waitForStep(admin, executionId, 'agent-slow', 'running');
    ok(await resolve(admin, executionId, step.stepId, 'force-fail', 'ops-admin', { reason: 'vendor outage' }));
    const done = await waitForStatus(admin, executionId, 'completed');
    const slow = stepOf(done, 'agent-slow');
    expect(slow.status).toBe('failed');
    expect(slow.error).toEqual(expect.objectContaining({ code: expect.any(String) }));
    expect(stepOf(done, 'agent-escalate').stepId).toBe(`${step.stepId}__to__agent-escalate`);
    expect(stepsOf(done, 'agent-next')).toEqual([]);
    expect(done.failureReason).toBeNull();
    const failed = (await allEvents(admin, executionId)).filter((event) => event.type === 'step.failed');
    expect(failed.map((event) => event.stepId)).toEqual([step.stepId]);
  });

  it('force-fail with no edge routing on failed fails the execution with step-failed', async () => {
    const executionId = await createAndDispatch(admin, slowAgentDefinition(freshId('ff-none')));
    const { step } = await waitForStep(admin, executionId, 'agent-slow', 'running');
    ok(await resolve(admin, executionId, step.stepId, 'force-fail', 'ops-admin'));
    const done = await waitForStatus(admin, executionId, 'failed');
    expect(done.failureReason?.code).toBe('step-failed');
    expect(eventTypes(await allEvents(admin, executionId)).slice(-2)).toEqual(['step.failed', 'execution.failed']);
  });

  it('force-complete on a waiting human step writes the caller output and routes on it', async () => {
    const { executionId, stepId } = await openReview();
    ok(await resolve(admin, executionId, stepId, 'force-complete', 'ops-admin', { output: { decision: 'approve' } }));
    const { view } = await waitForStep(admin, executionId, 'agent-publish', 'completed');
    expect(stepOf(view, 'human-review')).toMatchObject({ status: 'completed', output: expect.objectContaining({ decision: 'approve' }) });
  });

  it('force-fail on a waiting human step fails it; with no failure edge the execution fails', async () => {
    const { executionId, stepId } = await openReview([mandatory('u_editor')], false);
    ok(await resolve(admin, executionId, stepId, 'force-fail', 'ops-admin', { reason: 'withdrawn' }));
    const done = await waitForStatus(admin, executionId, 'failed');
    expect(stepOf(done, 'human-review').status).toBe('failed');
    expect(done.failureReason?.code).toBe('step-failed');
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
    expect(stepsOf(done, 'agent-rework')).toEqual([]);
  });

  it('answers NOT_FOUND for unknown ids and INVALID_ARGUMENT for a bad action or missing actorId', async () => {
    const { executionId, stepId } = await openReview();
    expectError(await resolve(admin, executionId, 'step_nope_1_abcdef', 'force-approve', 'ops-admin'), 'NOT_FOUND', 404);
    expectError(await resolve(admin, UNKNOWN_EXECUTION, stepId, 'force-approve', 'ops-admin'), 'NOT_FOUND', 404);
    const badAction = expectError(await resolve(admin, executionId, stepId, 'force-maybe', 'ops-admin'), 'INVALID_ARGUMENT', 400);
    expect(badAction.message).toContain('data.action');
    const noActor = expectError(
      await admin.post('steps/resolve', { executionId, stepId, action: 'force-approve' }),
      'INVALID_ARGUMENT',
      400,
    );
    expect(noActor.message).toContain('data.actorId');
    expect((await currentStep(executionId, stepId)).status).toBe('waiting');
  });
});

describe('steps/recordAgentResolution on steps that are not blocking agents', () => {
  it('answers FAILED_PRECONDITION for a non-blocking agent step and for a human step', async () => {
    const executionId = await createAndDispatch(admin, draftThenReviewDefinition(freshId('res-nonblock')));
    const { view } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    for (const nodeId of ['agent-draft', 'human-review']) {
      expectError(
        await admin.post('steps/recordAgentResolution', {
          executionId,
          stepId: stepOf(view, nodeId).stepId,
          resolutionId: 'res-1',
          status: 'success',
        }),
        'FAILED_PRECONDITION',
        400,
      );
    }
  });
});

describe('agent outcomes with the __mock__ agent', () => {
  it('completes a passing agent step with the engine fields and its own output', async () => {
    const executionId = await createAndDispatch(admin, singleAgentDefinition(freshId('agent-ok'), { output: { score: 7 } }));
    const done = await waitForStatus(admin, executionId, 'completed');
    const work = stepOf(done, 'agent-work');
    expect(work.status).toBe('completed');
    expect(work.output).toMatchObject({ agentId: '__mock__', agentExecutionStatus: 'passed', decision: 'approve', score: 7 });
    expect(typeof work.output.agentDurationMs).toBe('number');
    expect(stepOf(done, 'agent-next').status).toBe('completed');
    expect(stepsOf(done, 'agent-rework')).toEqual([]);
  });

  it('completes an agent that reports failure with decision reject and agentExecutionStatus failed', async () => {
    const executionId = await createAndDispatch(admin, singleAgentDefinition(freshId('agent-rej'), { decision: 'reject' }));
    const done = await waitForStatus(admin, executionId, 'completed');
    const work = stepOf(done, 'agent-work');
    expect(work.status).toBe('completed');
    expect(work.error).toBeNull();
    expect(work.output).toMatchObject({ decision: 'reject', agentExecutionStatus: 'failed' });
    expect(stepOf(done, 'agent-rework').stepId).toBe(`${work.stepId}__to__agent-rework`);
    expect(stepsOf(done, 'agent-next')).toEqual([]);
  });

  it('fails an agent step that keeps erroring with agent-failed after its retries, and the execution with step-failed', async () => {
    const executionId = await createAndDispatch(admin, failingAgentDefinition(freshId('agent-fail')));
    const done = await waitForStatus(admin, executionId, 'failed', 50_000);
    const work = stepOf(done, 'agent-work');
    expect(work.status).toBe('failed');
    expect(work.error?.code).toBe('agent-failed');
    expect(done.failureReason?.code).toBe('step-failed');
    expect(stepsOf(done, 'agent-next')).toEqual([]);
    const events = await allEvents(admin, executionId);
    expect(eventTypes(events)).toEqual(['execution.dispatched', 'step.failed', 'execution.failed']);
    expect(events[1]!.data).toMatchObject({ error: { code: 'agent-failed' } });
  }, 60_000);
});
