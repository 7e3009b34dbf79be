import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceLimiterWorkflowId } from '../../src/contracts/workspace-limits';
import { useEngine, type Caller } from '../support/engine';
import { startReceiver, type TestReceiver } from '../support/receiver';
import { createDefinition, decide, dispatch, freshId, ok, waitForStep, waitForTerminal } from '../support/rest-api';
import { human, mockAgent, approveGate, reviewersOf } from '../fixtures/execution-definitions';

/*
 * Two workspaces, one engine (docs/behaviour.md, "Workspace limits"): workspace A saturates its
 * running-agent limit with slow __mock__ agents, keeps a queue of agents waiting behind it, sends
 * many dispatches with webhooks, and keeps deciding runs whose edges evaluate expensive but allowed
 * regex `when`s; workspace B's dispatch → agent → decision → webhook flow still completes. B's
 * latency with and without A's flood is printed (never asserted: a test does not time things);
 * `npx vitest run test/http/workspace-isolation.test.ts` reproduces it.
 */

const MAX_RUNNING_AGENTS = 10;
/** The worker's agent slots exceed one workspace's limit: what A cannot take stays free for B. */
const AGENT_SLOTS = 20;
const FLOOD_DISPATCHES = 40;
const AGENTS_PER_FLOOD_RUN = 5;
const FLOOD_DELAY_MS = 120_000;
const SAMPLES = 3;
const SECRET = 'whsec_isolation_test_secret_0123456789';

const engine = useEngine({ limits: { maxRunningAgents: MAX_RUNNING_AGENTS }, slots: { agents: AGENT_SLOTS, webhooks: 20 } });

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startReceiver(() => 200);
});
afterAll(async () => {
  await receiver?.close();
});

const reviewFlow = (definitionId: string) => ({
  definitionId,
  name: 'Draft, review, publish',
  nodes: [
    mockAgent('agent-draft'),
    human('human-review', [reviewersOf.mandatory('u_editor')], { routeToNodeId: 'agent-rework' }),
    mockAgent('agent-publish'),
    mockAgent('agent-rework'),
  ],
  edges: [
    { from: 'agent-draft', to: 'human-review' },
    { from: 'human-review', to: 'agent-publish', when: approveGate },
  ],
});

/** One run of B's flow: ms from dispatch to the `execution.completed` webhook B receives. */
const runFlow = async (caller: Caller, definitionId: string): Promise<number> => {
  const started = Date.now();
  const { executionId } = await dispatch(caller, { definitionId, webhookUrl: receiver.url, webhookSecret: SECRET });
  const { step } = await waitForStep(caller, executionId, 'human-review', 'waiting', 120_000);
  ok(await decide(caller, executionId, step.stepId, 'u_editor', 'approve'));
  const done = await waitForTerminal(caller, executionId, 120_000);
  expect(done.status).toBe('completed');
  for (;;) {
    const completed = receiver.received.some((entry) => {
      const body = JSON.parse(entry.rawBody) as { event: string; executionId?: string; data?: { executionId?: string } };
      return body.event === 'execution.completed' && entry.rawBody.includes(executionId);
    });
    if (completed) return Date.now() - started;
    if (Date.now() - started > 120_000) throw new Error(`no execution.completed webhook for ${executionId}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** About 1.7 million of an evaluation's 2.1 million work units per edge, four edges per decision (docs/behaviour.md, "Limits"). */
const EXPENSIVE_SUBJECT = 'ab'.repeat(4_000);
const expensiveWhen = (i: number): string =>
  JSON.stringify({ op: 'regex', args: [{ var: 'execution.input.text' }, `[ab]{0,99}${'y'.repeat(i + 1)}`] });
const expressionFlood = (definitionId: string) => ({
  definitionId,
  name: 'Expensive gates',
  nodes: [
    human('human-gate', [reviewersOf.mandatory('u_editor')], { routeToNodeId: 'agent-rework' }),
    ...Array.from({ length: 4 }, (_, i) =>
      human(`human-next-${i}`, [reviewersOf.mandatory('u_editor')], { routeToNodeId: 'agent-rework' }),
    ),
    mockAgent('agent-rework'),
  ],
  edges: Array.from({ length: 4 }, (_, i) => ({ from: 'human-gate', to: `human-next-${i}`, when: expensiveWhen(i) })),
});

/** A keeps deciding runs whose decisions evaluate the expensive gates, until `stop()`; returns how many it decided. */
const keepDeciding = (caller: Caller, definitionId: string) => {
  let stopped = false;
  let decided = 0;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const answer = await caller.post('executions/dispatch', { definitionId, triggerContext: { text: EXPENSIVE_SUBJECT } });
      if (answer.status !== 200) continue;
      const executionId = answer.body.result.executionId as string;
      const { step } = await waitForStep(caller, executionId, 'human-gate', 'waiting', 120_000);
      if ((await decide(caller, executionId, step.stepId, 'u_editor', 'approve')).status === 200) decided += 1;
      await caller.post('executions/cancel', { executionId });
    }
  };
  const loops = Array.from({ length: 3 }, loop);
  return {
    stop: async (): Promise<number> => {
      stopped = true;
      await Promise.all(loops);
      return decided;
    },
  };
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('workspace isolation under load', () => {
  it("B's dispatch → agent → decision → webhook flow completes while A floods its limits", { timeout: 600_000 }, async () => {
    const b = engine.otherWorkspace;
    const flowB = reviewFlow(freshId('iso-b'));
    await createDefinition(b, flowB);
    await runFlow(b, flowB.definitionId); // warm-up: the worker's first tasks of this engine
    const quiet: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) quiet.push(await runFlow(b, flowB.definitionId));

    const flood = {
      definitionId: freshId('iso-flood'),
      name: 'Slow agents',
      nodes: Array.from({ length: AGENTS_PER_FLOOD_RUN }, (_, i) => mockAgent(`agent-slow-${i}`, { delayMs: FLOOD_DELAY_MS })),
      edges: [],
    };
    await createDefinition(engine.admin, flood);
    // A's dispatches arrive in bursts; on a loaded machine some may be refused (A's own limiter
    // queue, or a timeout): that is A's problem, counted and reported, never B's.
    const floodRuns: string[] = [];
    let floodRefused = 0;
    const burst = 8;
    for (let i = 0; i < FLOOD_DISPATCHES; i += burst) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(burst, FLOOD_DISPATCHES - i) }, () =>
          engine.admin.post('executions/dispatch', { definitionId: flood.definitionId, webhookUrl: receiver.url, webhookSecret: SECRET }),
        ),
      );
      for (const answer of answers) {
        if (answer.status === 200) floodRuns.push(answer.body.result.executionId as string);
        else floodRefused += 1;
      }
    }
    expect(floodRuns.length * AGENTS_PER_FLOOD_RUN).toBeGreaterThan(MAX_RUNNING_AGENTS);
    // A holds every agent slot its limit allows and queues the rest.
    const limiter = engine.client.workflow.getHandle(workspaceLimiterWorkflowId(engine.workspaceIdA));
    for (;;) {
      const state = await limiter.query<{ granted: unknown[]; waiting: unknown[] }>('limiterState');
      if (state.granted.length === MAX_RUNNING_AGENTS && state.waiting.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const gates = expressionFlood(freshId('iso-expr'));
    await createDefinition(engine.admin, gates);
    const deciding = keepDeciding(engine.admin, gates.definitionId);

    const loaded: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) loaded.push(await runFlow(b, flowB.definitionId));
    const expensiveDecisions = await deciding.stop();
    const state = await limiter.query<{ granted: unknown[]; waiting: unknown[] }>('limiterState');
    expect(state.granted).toHaveLength(MAX_RUNNING_AGENTS);
    console.info(
      `workspace B, dispatch → agent → decision → execution.completed webhook: median ${median(quiet)} ms quiet ` +
        `[${quiet.join(', ')}], median ${median(loaded)} ms while A floods [${loaded.join(', ')}] ` +
        `(A: ${FLOOD_DISPATCHES} runs × ${AGENTS_PER_FLOOD_RUN} agents of ${FLOOD_DELAY_MS / 1000} s, ` +
        `${floodRuns.length} dispatched, ${floodRefused} refused, ${state.granted.length} agents running, ${state.waiting.length} queued; ` +
        `${expensiveDecisions} decisions evaluating 4 expensive regex gates each)`,
    );

    await Promise.all(floodRuns.map((executionId) => engine.admin.post('executions/cancel', { executionId })));
  });
});
