import { describe, expect, it } from 'vitest';
import { workspaceLimiterWorkflowId } from '../../src/contracts/workspace-limits';
import { eventually, useEngine, type Caller } from '../support/engine';
import { createDefinition, dispatch, expectError, freshId, getExecution, ok, waitForExecution, waitForTerminal } from '../support/rest-api';
import { mockAgent, reviewDefinition, singleAgentDefinition } from '../fixtures/execution-definitions';

/*
 * Per-workspace limits (docs/behaviour.md, "Workspace limits"): a dispatch over the running-executions
 * limit is refused with RESOURCE_EXHAUSTED naming the limit; agents over the running-agent limit wait
 * their turn and getExecution says so; the __mock__ agent's delay is capped and can be turned off.
 */

const MAX_RUNNING_EXECUTIONS = 3;
const MAX_RUNNING_AGENTS = 2;
const MOCK_MAX_DELAY_MS = 30_000;

const engine = useEngine({
  limits: { maxRunningExecutions: MAX_RUNNING_EXECUTIONS, maxRunningAgents: MAX_RUNNING_AGENTS },
  mockAgent: { enabled: true, maxDelayMs: MOCK_MAX_DELAY_MS },
});

const cancel = async (caller: Caller, executionId: string): Promise<void> => {
  ok(await caller.post('executions/cancel', { executionId }));
  await waitForTerminal(caller, executionId);
};

describe('the running-executions limit', () => {
  it('refuses the dispatch over it with RESOURCE_EXHAUSTED naming the limit, only in that workspace, until a run ends', async () => {
    const definition = reviewDefinition(freshId('limit-runs'));
    await createDefinition(engine.admin, definition);
    const running: string[] = [];
    for (let i = 0; i < MAX_RUNNING_EXECUTIONS; i += 1) {
      running.push((await dispatch(engine.admin, { definitionId: definition.definitionId })).executionId);
    }

    const refused = await engine.admin.post('executions/dispatch', { definitionId: definition.definitionId });
    const error = expectError(refused, 'RESOURCE_EXHAUSTED', 429);
    expect(error.message).toBe(
      `workspace limit reached: ${MAX_RUNNING_EXECUTIONS} running executions (maxRunningExecutions); retry once some of them have ended`,
    );
    // Another workspace is not affected.
    const other = reviewDefinition(freshId('limit-other'));
    await createDefinition(engine.otherWorkspace, other);
    const inB = await dispatch(engine.otherWorkspace, { definitionId: other.definitionId });
    await cancel(engine.otherWorkspace, inB.executionId);

    await cancel(engine.admin, running.shift()!);
    // The ended run tells the limiter; the next dispatch is admitted.
    const admitted = await eventually(
      () => engine.admin.post('executions/dispatch', { definitionId: definition.definitionId }),
      (response) => response.status === 200,
      20_000,
    );
    running.push(ok(admitted).executionId);
    for (const executionId of running) await cancel(engine.admin, executionId);
  });

  it('admits exactly up to the limit from a burst of concurrent dispatches, and refuses the rest naming the limit', async () => {
    const definition = reviewDefinition(freshId('limit-burst'));
    await createDefinition(engine.admin, definition);
    const burst = MAX_RUNNING_EXECUTIONS * 4;
    const responses = await Promise.all(
      Array.from({ length: burst }, () => engine.admin.post('executions/dispatch', { definitionId: definition.definitionId })),
    );
    const admitted = responses.filter((response) => response.status === 200).map((response) => ok(response).executionId as string);
    expect(admitted).toHaveLength(MAX_RUNNING_EXECUTIONS);
    const refusals = responses
      .filter((response) => response.status !== 200)
      .map((response) => expectError(response, 'RESOURCE_EXHAUSTED', 429));
    expect(refusals).toHaveLength(burst - MAX_RUNNING_EXECUTIONS);
    // Each refused for the limit itself, not for the burst's size.
    expect(new Set(refusals.map((error) => error.message))).toEqual(
      new Set([
        `workspace limit reached: ${MAX_RUNNING_EXECUTIONS} running executions (maxRunningExecutions); retry once some of them have ended`,
      ]),
    );
    const views = await Promise.all(admitted.map((executionId) => getExecution(engine.admin, executionId)));
    expect(views.map((view) => view.status)).toEqual(admitted.map(() => 'running'));
    for (const executionId of admitted) await cancel(engine.admin, executionId);
  });

  it('keeps no place for a dispatch its definition refuses, and answers the definition first when both refuse', async () => {
    const definition = reviewDefinition(freshId('limit-refused'));
    await createDefinition(engine.admin, definition);
    // The place is asked for together with the pin; a refused pin gives it back.
    const missing = await Promise.all(
      Array.from({ length: MAX_RUNNING_EXECUTIONS * 2 }, () =>
        engine.admin.post('executions/dispatch', { definitionId: 'no-such-definition' }),
      ),
    );
    for (const response of missing) expectError(response, 'NOT_FOUND', 404);
    // The refused dispatches gave their places back before they answered: the limit is whole.
    const running: string[] = [];
    for (let i = 0; i < MAX_RUNNING_EXECUTIONS; i += 1) {
      running.push((await dispatch(engine.admin, { definitionId: definition.definitionId })).executionId);
    }
    // Full now: a dispatch of a missing definition is told about the definition, not the limit.
    expectError(await engine.admin.post('executions/dispatch', { definitionId: 'no-such-definition' }), 'NOT_FOUND', 404);
    expectError(await engine.admin.post('executions/dispatch', { definitionId: definition.definitionId }), 'RESOURCE_EXHAUSTED', 429);
    for (const executionId of running) await cancel(engine.admin, executionId);
  });

  it('answers a repeated dispatch of an admitted run (same idempotency key) while the workspace is full', async () => {
    const definition = reviewDefinition(freshId('limit-idem'));
    await createDefinition(engine.admin, definition);
    const first = await dispatch(engine.admin, { definitionId: definition.definitionId, idempotencyKey: 'limit-key-1' });
    const others = [];
    for (let i = 1; i < MAX_RUNNING_EXECUTIONS; i += 1)
      others.push((await dispatch(engine.admin, { definitionId: definition.definitionId })).executionId);
    const fresh = await engine.admin.post('executions/dispatch', { definitionId: definition.definitionId });
    expectError(fresh, 'RESOURCE_EXHAUSTED', 429);
    // Full, yet a retry of the admitted dispatch is answered with its run: retries stay safe.
    const repeat = await dispatch(engine.admin, { definitionId: definition.definitionId, idempotencyKey: 'limit-key-1' });
    expect(repeat).toEqual({ ...first, deduplicated: true });
    // A new key is a new run, refused while full.
    const newKey = await engine.admin.post('executions/dispatch', { definitionId: definition.definitionId, idempotencyKey: 'limit-key-2' });
    expectError(newKey, 'RESOURCE_EXHAUSTED', 429);
    await cancel(engine.admin, others.pop()!);
    const next = await eventually(
      () => engine.admin.post('executions/dispatch', { definitionId: definition.definitionId, idempotencyKey: 'limit-key-2' }),
      (response) => response.status === 200,
      20_000,
    );
    expect(ok(next).deduplicated).toBe(false);
    for (const executionId of [first.executionId, ...others, ok(next).executionId]) await cancel(engine.admin, executionId);
  });
});
describe('the running-agent limit', () => {
  it('queues the agents over it (getExecution names the limit) and runs them when a slot frees', async () => {
    const definition = {
      definitionId: freshId('limit-agents'),
      name: 'Three agents at once',
      // Long enough for a loaded machine's polls to see the third agent queued.
      nodes: ['a', 'b', 'c'].map((id) => mockAgent(`agent-${id}`, { delayMs: 10_000 })),
      edges: [],
    };
    await createDefinition(engine.admin, definition);
    const { executionId } = await dispatch(engine.admin, { definitionId: definition.definitionId });
    const queued = await waitForExecution(
      engine.admin,
      executionId,
      // Right after dispatch all three ask; once the limiter has answered, two run and one waits.
      (view) => view.steps.length === 3 && view.steps.filter((step: any) => step.queuedBehindLimit !== undefined).length === 1,
      'an agent step queued behind the limit',
    );
    const waiting = queued.steps.filter((step: any) => step.queuedBehindLimit !== undefined);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ status: 'running', queuedBehindLimit: 'maxRunningAgents' });

    const done = await waitForTerminal(engine.admin, executionId, 60_000);
    expect(done.status).toBe('completed');
    expect(done.steps.map((step) => step.status)).toEqual(['completed', 'completed', 'completed']);
    expect(done.steps.every((step: any) => step.queuedBehindLimit === undefined)).toBe(true);

    // The run's release signals reach the limiter just after the run's own view says completed.
    const limiterHandle = engine.client.workflow.getHandle(workspaceLimiterWorkflowId(engine.workspaceIdA));
    const limiter = await eventually(
      () => limiterHandle.query<{ granted: unknown[]; waiting: unknown[] }>('limiterState'),
      (state) => state.granted.length === 0 && state.waiting.length === 0,
    );
    expect(limiter).toMatchObject({ granted: [], waiting: [] });
  });
});

describe('the __mock__ agent on a deployment', () => {
  it(`refuses a delayMs over the deployment's cap (${MOCK_MAX_DELAY_MS} ms here), naming the field`, async () => {
    const definition = singleAgentDefinition(freshId('mock-cap'), { delayMs: MOCK_MAX_DELAY_MS + 1 });
    await createDefinition(engine.admin, definition);
    const { executionId } = await dispatch(engine.admin, { definitionId: definition.definitionId });
    const done = await waitForTerminal(engine.admin, executionId, 30_000);
    const step = done.steps.find((candidate) => candidate.nodeId === 'agent-work');
    expect(step?.status).toBe('failed');
    expect(step?.error?.message).toContain('config.inputMapping.mock.delayMs');
    expect(step?.error?.message).toContain(String(MOCK_MAX_DELAY_MS));
  });
});

describe('APPROVAL_MOCK_AGENT=off', () => {
  const off = useEngine({ mockAgent: { enabled: false, maxDelayMs: MOCK_MAX_DELAY_MS } });

  it('fails every __mock__ step with a message saying the operator turned it off', async () => {
    const definition = singleAgentDefinition(freshId('mock-off'), {});
    await createDefinition(off.admin, definition);
    const { executionId } = await dispatch(off.admin, { definitionId: definition.definitionId });
    const done = await waitForTerminal(off.admin, executionId, 30_000);
    expect(done.status).toBe('failed');
    const step = done.steps.find((candidate) => candidate.nodeId === 'agent-work');
    expect(step?.error?.message).toBe('the __mock__ agent is turned off on this deployment (APPROVAL_MOCK_AGENT=off)');
    expect((await getExecution(off.admin, executionId)).failureReason?.code).toBeDefined();
  });
});
