import { describe, expect, it } from 'vitest';
import { approveGate, mockAgent, reviewDefinition, slowAgentDefinition, twoReviewersDefinition } from '../fixtures/execution-definitions';
import { walkthroughDefinition } from '../fixtures/definitions';
import { createAndDispatch, createDefinition, decide, dispatch, expectError, freshId, ok } from '../support/rest-api';
import { allEvents, eventTypes, getExecution, stepOf, stepsOf, waitForStatus, waitForStep } from '../support/rest-api';
import type { EventWire, ExecutionWire } from '../support/rest-api';
import { callerFor, eventually, useEngine } from '../support/engine';

const engine = useEngine();
const { admin } = engine;

const EXTERNAL_TYPES = [
  'execution.dispatched',
  'execution.completed',
  'execution.failed',
  'execution.cancelled',
  'step.awaiting-approval',
  'step.completed',
  'step.failed',
  'step.breached',
  'step.cancelled',
  'group.quorum-met',
  'loop.iteration-started',
  'loop.exhausted',
];
const UNKNOWN_EXECUTION = 'exec_1777374504255_zzzzzzzz';

/** The checks every event stream must pass: the event view's shape (docs/events.md), ascending seq, stable ids, one correlationId. */
const expectWellFormedStream = (events: EventWire[], view: ExecutionWire): void => {
  for (const [index, event] of events.entries()) {
    expect(EXTERNAL_TYPES).toContain(event.type);
    expect(event.eventId).toBe(`evt_${view.executionId}_${event.seq}`);
    expect(event.correlationId).toBe(view.correlationId);
    expect(Number.isInteger(event.timestamp)).toBe(true);
    if (event.type.startsWith('execution.')) expect(event.stepId).toBeNull();
    if (index > 0) {
      expect(event.seq).toBeGreaterThan(events[index - 1]!.seq);
      expect(event.timestamp).toBeGreaterThanOrEqual(events[index - 1]!.timestamp);
    }
  }
};

describe('executions/dispatch and executions/get', () => {
  it('starts a running execution pinned to the current version with generated correlationId and idempotencyKey', async () => {
    const id = freshId('disp');
    await createDefinition(admin, walkthroughDefinition(id));
    const response = await admin.post('executions/dispatch', { definitionId: id, triggerContext: { postId: 'p-1' } });
    const result = ok(response);
    expect(Object.keys(result).sort()).toEqual(['correlationId', 'deduplicated', 'executionId']);
    expect(result.executionId).toMatch(/^exec_\d{13}_[a-z0-9]{8}$/);
    expect(result.correlationId).toMatch(/^corr_/);
    expect(result.deduplicated).toBe(false);

    // Dispatch returns once the run is `running`; `pending` is never observed.
    const view = await getExecution(admin, result.executionId);
    expect(view).toMatchObject({
      executionId: result.executionId,
      status: 'running',
      definitionId: id,
      definitionVersion: 1,
      correlationId: result.correlationId,
      completedAt: null,
      cancelledAt: null,
      failureReason: null,
    });
    expect(Number.isInteger(view.startedAt)).toBe(true);
    expect(typeof view.idempotencyKey).toBe('string');
    expect(view.idempotencyKey.length).toBeGreaterThan(0);
    const { step: review } = await waitForStep(admin, result.executionId, 'human-review', 'waiting');
    expect(review).toMatchObject({ nodeType: 'human', status: 'waiting', groupId: null, completedAt: null, error: null });
    expect(review.stepId).toMatch(/^step_human-review_\d{13}_[a-z0-9]{6}$/);
    expect(review.output.reviewers).toEqual([{ userId: 'u_editor', mandatory: true }]);
    expect(review.output.aggregatorStatus).toBe('pending');
  });

  it('echoes a supplied correlationId and idempotencyKey', async () => {
    const id = freshId('echo');
    await createDefinition(admin, walkthroughDefinition(id));
    const key = `campaign-42-dispatch-${id}`;
    const result = await dispatch(admin, { definitionId: id, idempotencyKey: key, correlationId: 'corr_campaign_42' });
    expect(result).toEqual({ executionId: expect.any(String), correlationId: 'corr_campaign_42', deduplicated: false });
    const view = await getExecution(admin, result.executionId);
    expect(view.correlationId).toBe('corr_campaign_42');
    expect(view.idempotencyKey).toBe(key);
  });

  it('generates a different idempotencyKey and execution for every dispatch without a key', async () => {
    const id = freshId('nokey');
    await createDefinition(admin, walkthroughDefinition(id));
    const first = await dispatch(admin, { definitionId: id });
    const second = await dispatch(admin, { definitionId: id });
    expect(first.executionId).not.toBe(second.executionId);
    expect(second.deduplicated).toBe(false);
    const [a, b] = await Promise.all([getExecution(admin, first.executionId), getExecution(admin, second.executionId)]);
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
    expect(a.correlationId).not.toBe(b.correlationId);
  });

  it('answers NOT_FOUND for an unknown executionId and INVALID_ARGUMENT for a bad body', async () => {
    expectError(await admin.post('executions/get', { executionId: UNKNOWN_EXECUTION }), 'NOT_FOUND', 404);
    const missing = expectError(await admin.post('executions/get', {}), 'INVALID_ARGUMENT', 400);
    expect(missing.message).toContain('data.executionId');
    const extra = expectError(
      await admin.post('executions/get', { executionId: UNKNOWN_EXECUTION, verbose: true }),
      'INVALID_ARGUMENT',
      400,
    );
    expect(extra.message).toContain('data.verbose');
  });
});

describe('the first-workflow walkthrough (seed 004)', () => {
  it('approve path: the review resumes, publish runs, the execution completes with the documented events', async () => {
    const id = freshId('walk-ok');
    await createDefinition(admin, walkthroughDefinition(id));
    const { executionId } = await dispatch(admin, {
      definitionId: id,
      idempotencyKey: `post-${id}`,
      triggerContext: { postId: 'post_123', title: 'Hello' },
    });
    const { step: review } = await waitForStep(admin, executionId, 'human-review', 'waiting');

    const decision = ok(await decide(admin, executionId, review.stepId, 'u_editor', 'approve'));
    expect(decision).toEqual({ recorded: true, aggregatorStatus: 'resolved', resumeScheduled: true });

    const done = await waitForStatus(admin, executionId, 'completed');
    expect(done.failureReason).toBeNull();
    expect(done.completedAt).toEqual(expect.any(Number));
    expect(done.cancelledAt).toBeNull();
    const reviewed = stepOf(done, 'human-review');
    expect(reviewed.status).toBe('completed');
    expect(reviewed.output).toMatchObject({
      aggregatorStatus: 'resolved',
      decision: 'approve',
      approved: true,
      approveCount: 1,
      rejectCount: 0,
      totalResponses: 1,
      mandatoryCount: 1,
      mandatoryApproveCount: 1,
      reviewerIds: ['u_editor'],
    });
    expect(reviewed.output.rejectedBy).toBeUndefined();
    const publish = stepOf(done, 'agent-publish');
    expect(publish.stepId).toBe(`${review.stepId}__to__agent-publish`);
    expect(publish).toMatchObject({ nodeType: 'agent', status: 'completed', error: null });
    expect(publish.output).toMatchObject({ agentId: '__mock__', agentExecutionStatus: 'passed', decision: 'approve' });
    expect(stepsOf(done, 'agent-followup')).toEqual([]);
    expect(done.steps).toHaveLength(2);

    const events = await allEvents(admin, executionId);
    expectWellFormedStream(events, done);
    expect(eventTypes(events)).toEqual([
      'execution.dispatched',
      'step.awaiting-approval',
      'step.completed',
      'step.completed',
      'execution.completed',
    ]);
    expect(events.map((event) => event.stepId)).toEqual([null, review.stepId, review.stepId, publish.stepId, null]);
    expect(events[0]!.data).toEqual({ definitionId: id, definitionVersion: 1, rootStepIds: [review.stepId] });
    expect(events[1]!.data).toMatchObject({ waitingForReviewers: 1, mandatoryCount: 1, resumeKey: expect.any(String) });
    expect(events[2]!.data).toEqual({ aggregatorStatus: 'resolved', nodeType: 'human', decision: 'approve', aggregatorBacked: true });
    expect(events[3]!.data).toMatchObject({ agentId: '__mock__' });
    expect(events[4]!.data ?? null).toBeNull();
  });

  it('reject path: the follow-up agent runs and publish is never created', async () => {
    const id = freshId('walk-no');
    await createDefinition(admin, walkthroughDefinition(id));
    const { executionId } = await dispatch(admin, { definitionId: id });
    const { step: review } = await waitForStep(admin, executionId, 'human-review', 'waiting');

    const decision = ok(await decide(admin, executionId, review.stepId, 'u_editor', 'reject', 'needs a better title'));
    expect(decision).toEqual({ recorded: true, aggregatorStatus: 'rejected', resumeScheduled: true });

    const done = await waitForStatus(admin, executionId, 'completed');
    expect(done.failureReason).toBeNull();
    const reviewed = stepOf(done, 'human-review');
    // A rejection does not fail the step: it completes with decision "reject".
    expect(reviewed.status).toBe('completed');
    expect(reviewed.output).toMatchObject({
      aggregatorStatus: 'rejected',
      decision: 'reject',
      approved: false,
      rejectCount: 1,
      rejectedBy: 'u_editor',
      rejectorMandatory: true,
    });
    const followup = stepOf(done, 'agent-followup');
    expect(followup.stepId).toBe(`${review.stepId}__to__agent-followup`);
    expect(followup.status).toBe('completed');
    expect(stepsOf(done, 'agent-publish')).toEqual([]);

    const events = await allEvents(admin, executionId);
    expectWellFormedStream(events, done);
    expect(eventTypes(events)).toEqual([
      'execution.dispatched',
      'step.awaiting-approval',
      'step.completed',
      'step.completed',
      'execution.completed',
    ]);
    expect(events[2]!.data).toMatchObject({ aggregatorStatus: 'rejected', nodeType: 'human', decision: 'reject' });
    expect(events[3]!.stepId).toBe(followup.stepId);
  });
});

describe('version pinning', () => {
  it('keeps a running execution on the version it was dispatched with', async () => {
    const id = freshId('pin');
    const v1 = walkthroughDefinition(id);
    await createDefinition(admin, v1);
    const first = await dispatch(admin, { definitionId: id });
    const { step: firstReview } = await waitForStep(admin, first.executionId, 'human-review', 'waiting');

    // Version 2 approves into agent-announce instead of agent-publish.
    const updated = ok(
      await admin.post('definitions/update', {
        definitionId: id,
        ifVersion: 1,
        nodes: [v1.nodes[0], mockAgent('agent-announce'), v1.nodes[2]],
        edges: [{ from: 'human-review', to: 'agent-announce', when: approveGate }],
      }),
    );
    expect(updated.version).toBe(2);
    const second = await dispatch(admin, { definitionId: id });
    const { step: secondReview } = await waitForStep(admin, second.executionId, 'human-review', 'waiting');

    ok(await decide(admin, first.executionId, firstReview.stepId, 'u_editor', 'approve'));
    ok(await decide(admin, second.executionId, secondReview.stepId, 'u_editor', 'approve'));
    const [doneFirst, doneSecond] = await Promise.all([
      waitForStatus(admin, first.executionId, 'completed'),
      waitForStatus(admin, second.executionId, 'completed'),
    ]);
    expect(doneFirst.definitionVersion).toBe(1);
    expect(stepOf(doneFirst, 'agent-publish').status).toBe('completed');
    expect(stepsOf(doneFirst, 'agent-announce')).toEqual([]);
    expect(doneSecond.definitionVersion).toBe(2);
    expect(stepOf(doneSecond, 'agent-announce').status).toBe('completed');
    expect(stepsOf(doneSecond, 'agent-publish')).toEqual([]);
    const dispatched = (await allEvents(admin, first.executionId))[0]!;
    expect(dispatched.data).toMatchObject({ definitionId: id, definitionVersion: 1 });
  });
});

describe('dispatch errors', () => {
  it('answers NOT_FOUND for an unknown definition', async () => {
    expectError(await admin.post('executions/dispatch', { definitionId: freshId('never') }), 'NOT_FOUND', 404);
  });

  it('answers FAILED_PRECONDITION for a tombstoned definition', async () => {
    const id = freshId('tomb');
    await createDefinition(admin, walkthroughDefinition(id));
    ok(await admin.post('definitions/delete', { definitionId: id }));
    expectError(await admin.post('executions/dispatch', { definitionId: id }), 'FAILED_PRECONDITION', 400);
  });

  it('dispatches a scoped definition without scope ids, and answers NOT_FOUND for other scope ids', async () => {
    const orgId = freshId('org');
    await createDefinition(admin, { ...walkthroughDefinition(orgId), scope: { level: 'organization', organizationId: 'org-7' } });
    expectError(await admin.post('executions/dispatch', { definitionId: orgId, organizationId: 'org-8' }), 'NOT_FOUND', 404);
    const bare = await dispatch(admin, { definitionId: orgId });
    expect((await getExecution(admin, bare.executionId)).definitionId).toBe(orgId);
    const org = await dispatch(admin, { definitionId: orgId, organizationId: 'org-7' });
    expect((await getExecution(admin, org.executionId)).status).toBe('running');

    const docId = freshId('doc');
    await createDefinition(admin, {
      ...walkthroughDefinition(docId),
      scope: { level: 'document', organizationId: 'org-7', documentId: 'doc-3' },
    });
    expectError(
      await admin.post('executions/dispatch', { definitionId: docId, organizationId: 'org-7', documentId: 'doc-4' }),
      'NOT_FOUND',
      404,
    );
    const partial = await dispatch(admin, { definitionId: docId, organizationId: 'org-7' });
    expect((await getExecution(admin, partial.executionId)).definitionId).toBe(docId);
    const doc = await dispatch(admin, { definitionId: docId, organizationId: 'org-7', documentId: 'doc-3' });
    expect((await getExecution(admin, doc.executionId)).definitionId).toBe(docId);
  });

  it.each([
    ['webhookUrl without webhookSecret', { webhookUrl: 'https://hooks.example.com/velt' }],
    ['webhookSecret without webhookUrl', { webhookSecret: 'whsec_0123456789abcdef' }],
  ])('answers INVALID_ARGUMENT for %s with the documented message', async (_label, patch) => {
    const id = freshId('hook');
    await createDefinition(admin, walkthroughDefinition(id));
    const error = expectError(await admin.post('executions/dispatch', { definitionId: id, ...patch }), 'INVALID_ARGUMENT', 400);
    expect(error.message).toContain('webhookUrl and webhookSecret must be provided together');
  });

  it.each([
    ['an idempotencyKey with spaces', { idempotencyKey: 'not a valid key!' }, 'data.idempotencyKey'],
    ['an idempotencyKey over 200 chars', { idempotencyKey: 'k'.repeat(201) }, 'data.idempotencyKey'],
    ['a bad correlationId', { correlationId: 'corr/42' }, 'data.correlationId'],
    ['a triggerContext over 256 KiB', { triggerContext: { blob: 'x'.repeat(300 * 1024) } }, 'data.triggerContext'],
    ['a triggerContext that is not an object', { triggerContext: 'hello' }, 'data.triggerContext'],
    ['a webhookSecret under 16 chars', { webhookUrl: 'https://hooks.example.com/velt', webhookSecret: 'short' }, 'data.webhookSecret'],
    ['an unknown field', { priority: 'high' }, 'data.priority'],
    ['a missing definitionId', { definitionId: undefined }, 'data.definitionId'],
  ])('answers INVALID_ARGUMENT naming the field for %s', async (_label, patch, field) => {
    const id = freshId('bad');
    await createDefinition(admin, walkthroughDefinition(id));
    const error = expectError(await admin.post('executions/dispatch', { definitionId: id, ...patch }), 'INVALID_ARGUMENT', 400);
    expect(error.message).toContain(field);
  });

  it('answers UNAUTHENTICATED without credentials', async () => {
    const anonymous = callerFor(engine.baseUrl, undefined);
    expectError(await anonymous.post('executions/dispatch', { definitionId: freshId('anon') }), 'UNAUTHENTICATED', 401);
  });
});

describe('idempotent dispatch', () => {
  it('turns 20 concurrent dispatches with one key into exactly one execution', async () => {
    const id = freshId('idem');
    await createDefinition(admin, walkthroughDefinition(id));
    const key = `order-${id}`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        admin.post('executions/dispatch', { definitionId: id, idempotencyKey: key, correlationId: `corr-${index}` }),
      ),
    );
    const results = responses.map((response) => ok<{ executionId: string; correlationId: string; deduplicated: boolean }>(response));
    const ids = new Set(results.map((result) => result.executionId));
    expect(ids.size).toBe(1);
    expect(results.filter((result) => !result.deduplicated)).toHaveLength(1);
    expect(results.filter((result) => result.deduplicated)).toHaveLength(19);
    // Every caller gets the original execution, correlationId included.
    const original = results.find((result) => !result.deduplicated)!;
    expect(new Set(results.map((result) => result.correlationId))).toEqual(new Set([original.correlationId]));

    const view = await getExecution(admin, original.executionId);
    expect(view.idempotencyKey).toBe(key);
    expect(view.correlationId).toBe(original.correlationId);
    const events = await allEvents(admin, original.executionId);
    expect(eventTypes(events).filter((type) => type === 'execution.dispatched')).toHaveLength(1);
    const listed = await eventually(
      () => admin.post('executions/list', { definitionId: id }),
      (response) => (response.body.result?.items?.length ?? 0) >= 1,
    );
    expect(ok(listed).items.map((item: ExecutionWire) => item.executionId)).toEqual([original.executionId]);
  });

  it('returns the original execution for a replay with a different body, across definitions, within the workspace only', async () => {
    const id = freshId('replay');
    const otherId = freshId('replay-other');
    await createDefinition(admin, walkthroughDefinition(id));
    await createDefinition(admin, walkthroughDefinition(otherId));
    const key = `replay-${id}`;
    const original = await dispatch(admin, { definitionId: id, idempotencyKey: key, triggerContext: { n: 1 } });
    expect(original.deduplicated).toBe(false);

    const replay = await dispatch(admin, {
      definitionId: otherId,
      idempotencyKey: key,
      correlationId: 'corr_something_else',
      triggerContext: { n: 2 },
    });
    expect(replay).toEqual({ executionId: original.executionId, correlationId: original.correlationId, deduplicated: true });
    expect((await getExecution(admin, original.executionId)).definitionId).toBe(id);
    expect(eventTypes(await allEvents(admin, original.executionId)).filter((t) => t === 'execution.dispatched')).toHaveLength(1);

    // The key belongs to workspace A; workspace B starts its own execution with it.
    await createDefinition(engine.otherWorkspace, walkthroughDefinition(id));
    const inB = await dispatch(engine.otherWorkspace, { definitionId: id, idempotencyKey: key });
    expect(inB.deduplicated).toBe(false);
    expect(inB.executionId).not.toBe(original.executionId);
  });
});

describe('executions/getEvents', () => {
  it('pages the external events in ascending seq with sinceSeq, pageSize, nextCursor and hasMore', async () => {
    const id = freshId('events');
    await createDefinition(admin, walkthroughDefinition(id));
    const { executionId } = await dispatch(admin, { definitionId: id, correlationId: 'corr_events_1' });
    const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    ok(await decide(admin, executionId, step.stepId, 'u_editor', 'approve'));
    const done = await waitForStatus(admin, executionId, 'completed');

    const full = ok(await admin.post('executions/getEvents', { executionId }));
    expect(full.executionId).toBe(executionId);
    expect(full.hasMore).toBe(false);
    const events: EventWire[] = full.events;
    expect(events).toHaveLength(5);
    expectWellFormedStream(events, done);
    expect(events.every((event) => event.correlationId === 'corr_events_1')).toBe(true);
    expect(full.nextCursor).toBeGreaterThanOrEqual(events.at(-1)!.seq);
    // Internal events (step.scheduled, step.started, ...) take seq numbers too: the stream has gaps.
    expect(events.at(-1)!.seq).toBeGreaterThan(events.length);

    const paged: EventWire[] = [];
    let sinceSeq = 0;
    const pages: Array<{ count: number; hasMore: boolean }> = [];
    for (let page = 0; page < 10; page += 1) {
      const result = ok(await admin.post('executions/getEvents', { executionId, sinceSeq, pageSize: 2 }));
      pages.push({ count: result.events.length, hasMore: result.hasMore });
      paged.push(...result.events);
      expect(Number.isInteger(result.nextCursor)).toBe(true);
      if (result.events.length > 0) {
        expect(result.nextCursor).toBeGreaterThanOrEqual(result.events.at(-1).seq);
      }
      if (!result.hasMore) break;
      // nextCursor never skips an external event: the next page starts right after it.
      sinceSeq = result.nextCursor;
    }
    expect(pages).toEqual([
      { count: 2, hasMore: true },
      { count: 2, hasMore: true },
      { count: 1, hasMore: false },
    ]);
    expect(paged).toEqual(events);

    const tail = ok(await admin.post('executions/getEvents', { executionId, sinceSeq: events[2]!.seq }));
    expect(tail.events).toEqual(events.slice(3));
    const beyond = ok(await admin.post('executions/getEvents', { executionId, sinceSeq: full.nextCursor }));
    expect(beyond.events).toEqual([]);
    expect(beyond.hasMore).toBe(false);
  });

  it('answers NOT_FOUND for an unknown execution and INVALID_ARGUMENT for bad paging', async () => {
    expectError(await admin.post('executions/getEvents', { executionId: UNKNOWN_EXECUTION }), 'NOT_FOUND', 404);
    const id = freshId('ev-bad');
    const executionId = await createAndDispatch(admin, walkthroughDefinition(id));
    for (const [patch, field] of [
      [{ pageSize: 0 }, 'data.pageSize'],
      [{ pageSize: 501 }, 'data.pageSize'],
      [{ sinceSeq: -1 }, 'data.sinceSeq'],
      [{ sinceSeq: 'zero' }, 'data.sinceSeq'],
    ] as const) {
      const error = expectError(await admin.post('executions/getEvents', { executionId, ...patch }), 'INVALID_ARGUMENT', 400);
      expect(error.message).toContain(field);
    }
  });
});

describe('executions/list', () => {
  it('filters by definitionId and status and pages with an opaque cursor', async () => {
    const id = freshId('list');
    await createDefinition(admin, walkthroughDefinition(id));
    const ids: string[] = [];
    // A run's startedAt is the time of its first workflow task; reading each run before the next
    // dispatch keeps the three in dispatch order (a worker may take new runs' first tasks out of order).
    for (let i = 0; i < 3; i += 1) {
      ids.push((await dispatch(admin, { definitionId: id })).executionId);
      await waitForStep(admin, ids[i]!, 'human-review', 'waiting');
    }
    const { step } = await waitForStep(admin, ids[0]!, 'human-review', 'waiting');
    ok(await decide(admin, ids[0]!, step.stepId, 'u_editor', 'approve'));
    await waitForStatus(admin, ids[0]!, 'completed');

    const all = await eventually(
      () => admin.post('executions/list', { definitionId: id }),
      (response) => response.body.result?.items?.length === 3,
    );
    const items: ExecutionWire[] = ok(all).items;
    expect(new Set(items.map((item) => item.executionId))).toEqual(new Set(ids));
    expect(items.every((item) => item.definitionId === id)).toBe(true);
    // Newest first.
    for (let i = 1; i < items.length; i += 1) expect(items[i - 1]!.startedAt).toBeGreaterThanOrEqual(items[i]!.startedAt);
    expect(ok(all).hasMore).toBe(false);
    expect(ok(all).nextCursor).toBeNull();

    const completed = await eventually(
      () => admin.post('executions/list', { definitionId: id, status: 'completed' }),
      (response) => response.body.result?.items?.length === 1,
    );
    expect(ok(completed).items.map((item: ExecutionWire) => item.executionId)).toEqual([ids[0]]);
    expect(ok(completed).items[0].status).toBe('completed');
    const running = await eventually(
      () => admin.post('executions/list', { definitionId: id, status: 'running' }),
      (response) => response.body.result?.items?.length === 2,
    );
    expect(new Set(ok(running).items.map((item: ExecutionWire) => item.executionId))).toEqual(new Set(ids.slice(1)));

    // Pages are compared with a listing taken once visibility has the completion (above): the first
    // listing may predate it, and a run's close moves it in Temporal's order.
    const settled: ExecutionWire[] = ok(await admin.post('executions/list', { definitionId: id })).items;
    const first = ok(await admin.post('executions/list', { definitionId: id, pageSize: 2 }));
    expect(first.items).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    expect(typeof first.nextCursor).toBe('string');
    const second = ok(await admin.post('executions/list', { definitionId: id, pageSize: 2, cursor: first.nextCursor }));
    expect(second.items).toHaveLength(1);
    expect(second.hasMore).toBe(false);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((item: ExecutionWire) => item.executionId)).toEqual(
      settled.map((item) => item.executionId),
    );
  });

  it('refuses a cursor whose page token Temporal cannot read, or with a fractional bound, naming data.cursor', async () => {
    const forged = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString('base64url');
    // The forged token costs some seconds: Temporal answers UNKNOWN and the client retries it.
    for (const cursor of [forged({ s: 1, k: [], t: 'AAAA' }), forged({ s: -1.5, k: [] })]) {
      const error = expectError(await admin.post('executions/list', { cursor }), 'INVALID_ARGUMENT', 400);
      expect(error.message).toMatch(/^data\.cursor: /);
    }
  });

  it.each([
    [{ status: 'paused' }, 'data.status'],
    [{ pageSize: 0 }, 'data.pageSize'],
    [{ pageSize: 501 }, 'data.pageSize'],
    [{ organizationId: 'org-1' }, 'data.organizationId'],
  ])('rejects %j with INVALID_ARGUMENT naming the field', async (patch, field) => {
    const error = expectError(await admin.post('executions/list', patch), 'INVALID_ARGUMENT', 400);
    expect(error.message).toContain(field);
  });
});

describe('executions/cancel', () => {
  it('cancels every open step with one step.cancelled each, then execution.cancelled; a second cancel is a no-op', async () => {
    const id = freshId('cancel');
    const executionId = await createAndDispatch(admin, twoReviewersDefinition(id));
    await waitForStep(admin, executionId, 'human-legal', 'waiting');
    const { view: open } = await waitForStep(admin, executionId, 'human-brand', 'waiting');
    const openStepIds = [stepOf(open, 'human-legal').stepId, stepOf(open, 'human-brand').stepId];
    const before = await allEvents(admin, executionId);

    const response = ok(await admin.post('executions/cancel', { executionId, reason: 'campaign dropped' }));
    expect(response).toEqual({ cancelled: true, executionId });

    const cancelled = await waitForStatus(admin, executionId, 'cancelled');
    expect(cancelled.cancelledAt).toEqual(expect.any(Number));
    expect(cancelled.failureReason).toBeNull();
    expect(stepOf(cancelled, 'agent-draft').status).toBe('completed');
    for (const stepId of openStepIds) {
      expect(cancelled.steps.find((step) => step.stepId === stepId)!.status).toBe('cancelled');
    }
    // Cancelled steps never fan out.
    expect(stepsOf(cancelled, 'agent-publish')).toEqual([]);
    expect(stepsOf(cancelled, 'agent-rework')).toEqual([]);

    const events = await allEvents(admin, executionId);
    expectWellFormedStream(events, cancelled);
    const added = events.slice(before.length);
    expect(eventTypes(added)).toEqual(['step.cancelled', 'step.cancelled', 'execution.cancelled']);
    expect(new Set(added.slice(0, 2).map((event) => event.stepId))).toEqual(new Set(openStepIds));
    for (const event of added.slice(0, 2)) expect(event.data).toMatchObject({ reason: 'execution-cancelled' });
    expect(added[2]!.data).toMatchObject({ reason: 'campaign dropped' });

    const again = ok(await admin.post('executions/cancel', { executionId, reason: 'again' }));
    expect(again).toEqual({ cancelled: true, executionId });
    expect(await allEvents(admin, executionId)).toEqual(events);
    expect((await getExecution(admin, executionId)).cancelledAt).toBe(cancelled.cancelledAt);

    // A cancelled step takes no more decisions.
    expectError(await decide(admin, executionId, openStepIds[0]!, 'u_legal', 'approve'), 'FAILED_PRECONDITION', 400);
  });

  it('cancels a running agent step; its edges never fire', async () => {
    const id = freshId('cancel-agent');
    const executionId = await createAndDispatch(admin, slowAgentDefinition(id));
    const { step } = await waitForStep(admin, executionId, 'agent-slow', 'running');
    ok(await admin.post('executions/cancel', { executionId }));
    const cancelled = await waitForStatus(admin, executionId, 'cancelled');
    expect(stepOf(cancelled, 'agent-slow').status).toBe('cancelled');
    expect(stepsOf(cancelled, 'agent-next')).toEqual([]);
    const events = await allEvents(admin, executionId);
    expect(eventTypes(events)).toEqual(['execution.dispatched', 'step.cancelled', 'execution.cancelled']);
    expect(events[1]!.stepId).toBe(step.stepId);
    expect(events[1]!.data).toMatchObject({ reason: 'execution-cancelled' });
  });

  it('is a no-op on a completed execution: same body, no event, status unchanged', async () => {
    const id = freshId('cancel-done');
    const executionId = await createAndDispatch(admin, walkthroughDefinition(id));
    const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    ok(await decide(admin, executionId, step.stepId, 'u_editor', 'approve'));
    const done = await waitForStatus(admin, executionId, 'completed');
    const events = await allEvents(admin, executionId);

    expect(ok(await admin.post('executions/cancel', { executionId }))).toEqual({ cancelled: true, executionId });
    const after = await getExecution(admin, executionId);
    expect(after.status).toBe('completed');
    expect(after.cancelledAt).toBeNull();
    expect(after.completedAt).toBe(done.completedAt);
    expect(await allEvents(admin, executionId)).toEqual(events);
  });

  it('answers NOT_FOUND for an unknown execution and INVALID_ARGUMENT for an over-long reason', async () => {
    expectError(await admin.post('executions/cancel', { executionId: UNKNOWN_EXECUTION }), 'NOT_FOUND', 404);
    const error = expectError(
      await admin.post('executions/cancel', { executionId: UNKNOWN_EXECUTION, reason: 'r'.repeat(501) }),
      'INVALID_ARGUMENT',
      400,
    );
    expect(error.message).toContain('data.reason');
  });
});

describe('definitions/delete with executions', () => {
  it('refuses to delete a definition while an execution of it is running, and allows it afterwards', async () => {
    const id = freshId('del-run');
    const executionId = await createAndDispatch(admin, walkthroughDefinition(id));
    // Delete counts running executions through visibility: wait until the run is listed.
    await eventually(
      () => admin.post('executions/list', { definitionId: id, status: 'running' }),
      (response) => response.body.result?.items?.length === 1,
    );
    expectError(await admin.post('definitions/delete', { definitionId: id }), 'FAILED_PRECONDITION', 400);
    expect(ok(await admin.post('definitions/get', { definitionId: id })).status).toBe('active');

    ok(await admin.post('executions/cancel', { executionId }));
    await waitForStatus(admin, executionId, 'cancelled');
    const deleted = await eventually(
      () => admin.post('definitions/delete', { definitionId: id }),
      (response) => response.status === 200,
    );
    expect(ok(deleted)).toEqual({ deleted: true, definitionId: id });
  });
});

describe('workspace isolation', () => {
  it('makes an execution of workspace A unaddressable with B credentials', async () => {
    const id = freshId('iso');
    const executionId = await createAndDispatch(admin, reviewDefinition(id));
    const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    const b = engine.otherWorkspace;

    expectError(await b.post('executions/get', { executionId }), 'NOT_FOUND', 404);
    expectError(await b.post('executions/getEvents', { executionId }), 'NOT_FOUND', 404);
    expectError(await b.post('executions/cancel', { executionId }), 'NOT_FOUND', 404);
    expectError(await decide(b, executionId, step.stepId, 'u_editor', 'approve'), 'NOT_FOUND', 404);
    expectError(
      await b.post('steps/resolve', { executionId, stepId: step.stepId, action: 'force-approve', actorId: 'intruder' }),
      'NOT_FOUND',
      404,
    );
    expectError(await b.post('steps/cancel', { executionId, stepId: step.stepId, actorId: 'intruder' }), 'NOT_FOUND', 404);
    expectError(await b.post('executions/dispatch', { definitionId: id }), 'NOT_FOUND', 404);

    // Nothing happened to A's run.
    const view = await getExecution(admin, executionId);
    expect(view.status).toBe('running');
    expect(stepOf(view, 'human-review').status).toBe('waiting');
    expect(eventTypes(await allEvents(admin, executionId))).toEqual(['execution.dispatched', 'step.awaiting-approval']);

    await eventually(
      () => admin.post('executions/list', { definitionId: id }),
      (response) => response.body.result?.items?.length === 1,
    );
    expect(ok(await b.post('executions/list', { definitionId: id })).items).toEqual([]);
  });
});
