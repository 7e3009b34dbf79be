import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalDefinition } from '../../src/core/definition';
import { DefinitionClient } from '../../src/infra/temporal/definition-client';
import { canonical } from '../fixtures/canonical-definitions';
import {
  approveGate,
  blockingAgentDefinition,
  human,
  LONG_DELAY_MS,
  mockAgent,
  rejectGate,
  reviewersOf,
  slowAgentDefinition,
} from '../fixtures/execution-definitions';
import { eventually, useEngine } from '../support/engine';
import { startReceiver, type TestReceiver } from '../support/receiver';
import { allEvents, createAndDispatch, decide, dispatch, expectError, freshId, getExecution, ok } from '../support/rest-api';
import { stepOf, stepsOf, waitForStatus, waitForStep, waitForTerminal } from '../support/rest-api';

/*
 * The G3 runtime end to end over HTTP (docs/behaviour.md, "G3 runtime"). A `g3` definition is
 * stored through the definition workflow with `generation: "g3"` on a canonical definition written
 * in the seed's syntax: the runtime keys off the generation, not the syntax.
 */

const { mandatory, optional } = reviewersOf;
const AGENT_SECRET = 'site-agent-secret-0123456789';
let siteAgent: TestReceiver;

beforeAll(async () => {
  siteAgent = await startReceiver(() => ({ status: 200, body: { status: 'passed', summary: { pages: 3 }, output: { findings: 0 } } }));
});
afterAll(async () => {
  await siteAgent?.close();
});

const engine = useEngine(() => ({ agents: [{ agentId: 'site-agent-v1', url: siteAgent.url, secret: AGENT_SECRET }] }));
const { admin } = engine;

/** Stores version 1 of a `g3` definition (validated by the write pipeline) and returns its id. */
const storeG3 = async (input: { definitionId: string } & Record<string, unknown>): Promise<string> => {
  const content: CanonicalDefinition = { ...canonical(input), generation: 'g3' };
  await new DefinitionClient(engine.client, engine.taskQueue).create(engine.workspaceIdA, content);
  return input.definitionId;
};

const g3Dispatch = async (input: { definitionId: string } & Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  (await dispatch(admin, { definitionId: await storeG3(input), ...extra })).executionId;

const resolve = (executionId: string, stepId: string, action: string, extra: Record<string, unknown> = {}) =>
  admin.post('steps/resolve', { executionId, stepId, action, actorId: 'ops-admin', ...extra });

/**
 * A `__mock__` agent and two humans in one joinOnQuorum group, quorum 2 of 3. Every member routes
 * approve → agent-publish and reject → agent-rework, as joinOnQuorum requires.
 */
const mixedPanel = (definitionId: string, agentDelayMs: number) => ({
  definitionId,
  name: 'Agent and humans, quorum 2 of 3',
  nodes: [
    mockAgent('agent-check', { delayMs: agentDelayMs }),
    human('human-legal', [mandatory('u_legal')], { routeToNodeId: 'agent-rework' }),
    human('human-brand', [mandatory('u_brand')], { routeToNodeId: 'agent-rework' }),
    mockAgent('agent-publish'),
    mockAgent('agent-rework'),
  ],
  edges: [
    { from: 'agent-check', to: 'agent-publish', when: approveGate },
    { from: 'agent-check', to: 'agent-rework', when: rejectGate },
    { from: 'human-legal', to: 'agent-publish', when: approveGate },
    { from: 'human-brand', to: 'agent-publish', when: approveGate },
  ],
  groups: [
    {
      groupId: 'review',
      memberNodeIds: ['agent-check', 'human-legal', 'human-brand'],
      expectedSteps: 3,
      quorum: 2,
      onQuorumMet: 'joinOnQuorum',
    },
  ],
});

describe('g3 agents: waiting while they run, counted toward quorum', () => {
  it('a mixed group reaches quorum with the agent approval and one human', async () => {
    const executionId = await g3Dispatch(mixedPanel(freshId('g3-panel'), 1000));
    const { step: check } = await waitForStep(admin, executionId, 'agent-check', 'completed');
    const legal = stepOf(await getExecution(admin, executionId), 'human-legal');
    expect(ok(await decide(admin, executionId, legal.stepId, 'u_legal', 'approve'))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });

    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'human-brand').status).toBe('cancelled');
    expect(stepOf(done, 'agent-publish')).toMatchObject({ stepId: 'group_review__to__agent-publish', status: 'completed' });
    expect(stepOf(done, 'agent-publish').input).toMatchObject({ groupId: 'review', totalApproved: 2 });
    expect(stepsOf(done, 'agent-rework')).toEqual([]);

    const events = await allEvents(admin, executionId);
    const ofCheck = events.filter((event) => event.stepId === check.stepId);
    expect(ofCheck.map((event) => event.type)).toEqual(['step.awaiting-approval', 'step.completed']);
    expect(ofCheck[0]?.data).toEqual({ agentId: '__mock__', agentExecutionId: `agentexec_${check.stepId}`, pollIntervalMs: 15_000 });
    expect(ofCheck[1]?.data).toEqual({
      agentId: '__mock__',
      agentExecutionId: `agentexec_${check.stepId}`,
      agentExecutionStatus: 'passed',
      decision: 'approve',
      source: 'agent',
      synthetic: true,
    });
    const quorum = events.filter((event) => event.type === 'group.quorum-met');
    expect(quorum.map((event) => [event.stepId, event.data])).toEqual([
      [legal.stepId, { groupId: 'review', total: 2, quorum: 2, completedTotal: 2, expectedSteps: 3 }],
    ]);
  });

  it('the same graph as a g2 definition does not count the agent: the second human is still needed', async () => {
    const executionId = await createAndDispatch(admin, mixedPanel(freshId('g2-panel'), 0));
    await waitForStep(admin, executionId, 'agent-check', 'completed');
    const legal = stepOf(await getExecution(admin, executionId), 'human-legal');
    ok(await decide(admin, executionId, legal.stepId, 'u_legal', 'approve'));
    const view = await getExecution(admin, executionId);
    expect(view.status).toBe('running');
    expect(stepOf(view, 'human-brand').status).toBe('waiting');
    expect((await allEvents(admin, executionId)).some((event) => event.type === 'group.quorum-met')).toBe(false);
    ok(await admin.post('executions/cancel', { executionId }));
  });

  it('an agent step is waiting while its __mock__ delay runs; force-approve ends the wait and routes approve', async () => {
    const executionId = await g3Dispatch(slowAgentDefinition(freshId('g3-slow')));
    const { step } = await waitForStep(admin, executionId, 'agent-slow', 'waiting');
    expect(step.output).toEqual({});
    const awaiting = (await allEvents(admin, executionId)).filter((event) => event.type === 'step.awaiting-approval');
    expect(awaiting.map((event) => event.stepId)).toEqual([step.stepId]);

    expect(ok(await resolve(executionId, step.stepId, 'force-approve', { reason: 'checked by hand' }))).toEqual({
      resolved: true,
      executionId,
      stepId: step.stepId,
      action: 'force-approve',
    });
    // The run goes on without waiting out the agent's delay (LONG_DELAY_MS).
    const done = await waitForStatus(admin, executionId, 'completed', LONG_DELAY_MS / 4);
    expect(stepOf(done, 'agent-slow').output).toMatchObject({
      decision: 'approve',
      approvalReply: 'checked by hand',
      overriddenBy: 'ops-admin',
    });
    expect(stepOf(done, 'agent-next').stepId).toBe(`${step.stepId}__to__agent-next`);
    const completed = (await allEvents(admin, executionId)).find(
      (event) => event.type === 'step.completed' && event.stepId === step.stepId,
    );
    expect(completed?.data).toMatchObject({ agentExecutionId: `agentexec_${step.stepId}`, decision: 'approve', source: 'override' });
  });
});

describe('resolve on any waiting step; overriddenAt', () => {
  it('force-reject on a parked blocking agent of a g2 definition completes it with decision reject', async () => {
    const executionId = await createAndDispatch(admin, blockingAgentDefinition(freshId('g2-block'), { kind: 'allResolved' }));
    const { step } = await waitForStep(admin, executionId, 'agent-check', 'waiting');
    ok(await resolve(executionId, step.stepId, 'force-reject'));
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'agent-check').output).toMatchObject({ decision: 'reject', aggregatorStatus: 'rejected' });
    expect(stepOf(done, 'agent-rework').status).toBe('completed');
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
  });

  it('force-complete and force-fail add overriddenAt; the caller value wins', async () => {
    const completedRun = await createAndDispatch(admin, slowAgentDefinition(freshId('fc-at')));
    const { step: slow } = await waitForStep(admin, completedRun, 'agent-slow', 'running');
    ok(await resolve(completedRun, slow.stepId, 'force-complete', { output: { decision: 'approve' } }));
    const completed = stepOf(await waitForStatus(admin, completedRun, 'completed'), 'agent-slow');
    expect(completed.output).toEqual({ overriddenAt: expect.any(Number), decision: 'approve' });
    expect(completed.output.overriddenAt).toBe(completed.completedAt);

    const failedRun = await g3Dispatch(slowAgentDefinition(freshId('ff-at'), { failEdge: true }));
    const { step: waiting } = await waitForStep(admin, failedRun, 'agent-slow', 'waiting');
    ok(await resolve(failedRun, waiting.stepId, 'force-fail', { output: { why: 'vendor outage', overriddenAt: 1_777_000_000_000 } }));
    const failed = stepOf(await waitForStatus(admin, failedRun, 'completed'), 'agent-slow');
    expect(failed).toMatchObject({ status: 'failed', output: { why: 'vendor outage', overriddenAt: 1_777_000_000_000 } });
    const event = (await allEvents(admin, failedRun)).find((candidate) => candidate.type === 'step.failed');
    expect(event?.data).toMatchObject({ error: { code: 'force-failed' }, source: 'override' });
  });

  it('an unknown step stays NOT_FOUND', async () => {
    const executionId = await g3Dispatch(slowAgentDefinition(freshId('nf')));
    await waitForStep(admin, executionId, 'agent-slow', 'waiting');
    expectError(await resolve(executionId, 'step_nope_1_abcdef', 'force-approve'), 'NOT_FOUND', 404);
    ok(await admin.post('executions/cancel', { executionId }));
  });
});

describe('g3 recordReviewerDecision replies', () => {
  /** A review (mandatory u_m, optional u_o) and a hold step that keeps the run open. */
  const review = (definitionId: string) => ({
    definitionId,
    name: 'Review and hold',
    nodes: [
      human('human-review', [mandatory('u_m'), optional('u_o')], { routeToNodeId: 'agent-rework' }),
      human('human-hold', [mandatory('u_hold')], { routeToNodeId: 'agent-rework' }),
      mockAgent('agent-publish'),
      mockAgent('agent-rework'),
    ],
    edges: [{ from: 'human-review', to: 'agent-publish', when: approveGate }],
  });

  it('unknown-responder and idempotent are recorded:false with the aggregator status; the stranger stays in the audit list', async () => {
    const executionId = await g3Dispatch(review(freshId('g3-review')));
    const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');

    expect(ok(await decide(admin, executionId, step.stepId, 'u_stranger', 'reject'))).toEqual({
      recorded: false,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
      rejectionReason: 'unknown-responder',
    });
    const afterStranger = stepOf(await getExecution(admin, executionId), 'human-review');
    expect(afterStranger.status).toBe('waiting');
    expect(afterStranger.output).toMatchObject({ rejectCount: 0, totalResponses: 0 });
    expect(afterStranger.output.unknownResponders).toEqual([{ userId: 'u_stranger', decision: 'reject', respondedAt: expect.any(Number) }]);

    ok(await decide(admin, executionId, step.stepId, 'u_o', 'approve'));
    expect(ok(await decide(admin, executionId, step.stepId, 'u_o', 'approve'))).toEqual({
      recorded: false,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
      rejectionReason: 'idempotent',
    });
    expect(ok(await decide(admin, executionId, step.stepId, 'u_m', 'approve'))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    // After the step resumed (the run is still open on human-hold), a replay is still idempotent.
    expect(ok(await decide(admin, executionId, step.stepId, 'u_o', 'reject'))).toMatchObject({
      recorded: false,
      rejectionReason: 'idempotent',
    });
    ok(await admin.post('executions/cancel', { executionId }));
  });

  it('a declared reviewer arriving after the aggregator decided gets already-terminal and changes nothing', async () => {
    const executionId = await g3Dispatch(review(freshId('g3-late')));
    const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    ok(await decide(admin, executionId, step.stepId, 'u_m', 'approve'));
    expect(ok(await decide(admin, executionId, step.stepId, 'u_o', 'reject'))).toEqual({
      recorded: false,
      aggregatorStatus: 'resolved',
      resumeScheduled: false,
      rejectionReason: 'already-terminal',
    });
    const view = await getExecution(admin, executionId);
    expect(stepOf(view, 'human-review').output).toMatchObject({ decision: 'approve', rejectCount: 0 });
    expect(stepsOf(view, 'agent-rework')).toEqual([]);
    ok(await admin.post('executions/cancel', { executionId }));
  });

  it('g2: the same late reviewer is FAILED_PRECONDITION and an unknown one recorded:true (unchanged)', async () => {
    const executionId = await createAndDispatch(admin, review(freshId('g2-review')));
    const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    expect(ok(await decide(admin, executionId, step.stepId, 'u_stranger', 'approve'))).toEqual({
      recorded: true,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
    });
    ok(await decide(admin, executionId, step.stepId, 'u_m', 'approve'));
    expectError(await decide(admin, executionId, step.stepId, 'u_o', 'reject'), 'FAILED_PRECONDITION', 400);
    ok(await admin.post('executions/cancel', { executionId }));
  });
});

describe('agent fields at run time', () => {
  const siteCheck = (definitionId: string, config: Record<string, unknown>) => ({
    definitionId,
    name: 'Site check',
    nodes: [{ nodeId: 'agent-site', type: 'agent', config: { agentId: 'site-agent-v1', ...config } }, mockAgent('agent-next')],
    edges: [{ from: 'agent-site', to: 'agent-next', when: approveGate }],
  });
  const callsOf = (executionId: string) =>
    siteAgent.received.map((call) => JSON.parse(call.rawBody) as Record<string, any>).filter((body) => body.executionId === executionId);

  it('g3: url wins (https:// added), the new fields, userContext and the dispatch scope ids reach the HTTP agent', async () => {
    const executionId = await g3Dispatch(
      siteCheck(freshId('g3-site'), {
        url: 'docs.example.com/start',
        urlPath: 'page',
        crossPageExecute: true,
        maxUrlsToProcess: 20,
        userContextMapping: { email: 'user.email', tier: 'triggerContext.account.tier' },
      }),
      {
        triggerContext: { page: 'https://ignored.example.com', user: { email: 'ada@example.com' }, account: { tier: 'pro' } },
        organizationId: 'org-7',
        documentId: 'doc-9',
      },
    );
    const done = await waitForStatus(admin, executionId, 'completed');
    const site = stepOf(done, 'agent-site');
    expect(site.output).toMatchObject({
      findings: 0,
      resolvedUrl: 'https://docs.example.com/start',
      agentExecutionId: `agentexec_${site.stepId}`,
    });
    const [call] = callsOf(executionId);
    expect(call).toEqual({
      executionId,
      stepId: site.stepId,
      agentId: 'site-agent-v1',
      url: 'https://docs.example.com/start',
      promptOverride: null,
      input: expect.objectContaining({ triggerContext: expect.objectContaining({ page: 'https://ignored.example.com' }) }),
      organizationId: 'org-7',
      documentId: 'doc-9',
      agentExecutionId: `agentexec_${site.stepId}`,
      crossPageExecute: true,
      maxUrlsToProcess: 20,
      pollIntervalMs: 15_000,
      userContext: { email: 'ada@example.com', tier: 'pro' },
    });
  });

  it('g3: a urlPath that resolves to nothing fails the step with agent-url-unresolved without calling the agent', async () => {
    const executionId = await g3Dispatch(siteCheck(freshId('g3-nourl'), { urlPath: 'page' }), { triggerContext: { other: 1 } });
    const done = await waitForTerminal(admin, executionId);
    expect(done.status).toBe('failed');
    const site = stepOf(done, 'agent-site');
    expect(site).toMatchObject({ status: 'failed', output: {}, error: { code: 'agent-url-unresolved' } });
    expect(callsOf(executionId)).toEqual([]);
  });

  it('g3: a scheme-less urlPath value gets https://', async () => {
    const executionId = await g3Dispatch(siteCheck(freshId('g3-scheme'), { urlPath: 'deployment.url' }), {
      triggerContext: { deployment: { url: 'my-app.vercel.app' } },
    });
    await waitForStatus(admin, executionId, 'completed');
    expect(callsOf(executionId)[0]?.url).toBe('https://my-app.vercel.app');
  });

  it('g2: the agent request carries exactly the seed fields when no new field is set', async () => {
    const executionId = await createAndDispatch(admin, siteCheck(freshId('g2-site'), { urlPath: 'page' }), {
      triggerContext: { page: 'my-app.vercel.app' },
    });
    await waitForStatus(admin, executionId, 'completed');
    const [call] = callsOf(executionId);
    expect(Object.keys(call ?? {})).toEqual(['executionId', 'stepId', 'agentId', 'url', 'promptOverride', 'input']);
    expect(call?.url).toBe('my-app.vercel.app');
  });
});

describe('executions/list with an integer cursor', () => {
  it('accepts a startedAt (number or decimal string) and pages from the runs that started before it', async () => {
    const definitionId = freshId('cursor');
    await createAndDispatch(admin, slowAgentDefinition(definitionId));
    for (let i = 0; i < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await dispatch(admin, { definitionId });
    }
    const list = (data: Record<string, unknown>) => admin.post('executions/list', { definitionId, ...data });
    const all = await eventually(
      async () => ok(await list({ pageSize: 10 })),
      (page) => page.items.length === 3,
    );
    const startedAt: number[] = all.items.map((item: any) => item.startedAt);
    expect([...startedAt].sort((a, b) => b - a)).toEqual(startedAt);

    const afterNewest = ok(await list({ pageSize: 10, cursor: String(startedAt[0]) }));
    expect(afterNewest.items.map((item: any) => item.executionId)).toEqual(
      all.items.filter((item: any) => item.startedAt < startedAt[0]!).map((item: any) => item.executionId),
    );
    const afterOldest = ok(await list({ pageSize: 10, cursor: startedAt[2] }));
    expect(afterOldest).toMatchObject({ items: [], nextCursor: null });

    for (const cursor of ['not-a-cursor', -5, 1.5, '12e3']) {
      expect(expectError(await list({ cursor }), 'INVALID_ARGUMENT', 400).message).toContain('data.cursor');
    }
    for (const item of all.items) ok(await admin.post('executions/cancel', { executionId: item.executionId }));
  });
});
