import { describe, expect, it } from 'vitest';
import { definitionWorkflowId } from '../../src/contracts/definition-messages';
import { executionWorkflowId, MAX_RECORDED_REPEATS, repeatAnswerQuery } from '../../src/contracts/execution-messages';
import { useEngine } from '../support/engine';
import { createDefinition, dispatch, freshId, ok, waitForTerminal } from '../support/rest-api';
import { mockAgent } from '../fixtures/execution-definitions';

/*
 * History stays bounded whatever a client repeats (docs/behaviour.md, "Workspace limits"): dispatches
 * with one idempotency key while the run's long agent is in flight (so the run cannot continue as
 * new) are all answered with the original run, and only the first 100 are written. The suite sends
 * 1,000 (ten times the recorded cap, under a minute on a busy machine); the 10,000:
 * `REPEATS=10000 npx vitest run test/http/repeated-dispatch-history.test.ts`.
 */

const REPEATS = Number(process.env.REPEATS ?? 1_000);
const CONCURRENCY = 25;
/** Temporal's default history limit is 51,200 events; "well inside" is two orders of magnitude under it. */
const WELL_INSIDE = 1_000;

const engine = useEngine();

describe(`${REPEATS} repeated dispatches of one key while a long agent runs`, () => {
  it('answers every one with the original run and keeps its history at a few hundred events', { timeout: 2_400_000 }, async () => {
    const definition = {
      definitionId: freshId('repeats'),
      name: 'One long agent',
      nodes: [mockAgent('agent-long', { delayMs: 600_000 })],
      edges: [],
    };
    await createDefinition(engine.admin, definition);
    const request = { definitionId: definition.definitionId, idempotencyKey: `repeat-${Date.now()}` };
    const first = await dispatch(engine.admin, request);

    // A repeat pins nothing in the definition (nor asks the limiter): the definition's history does not grow.
    const historyLength = async (workflowId: string): Promise<number> =>
      (await engine.client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
    const definitionWorkflow = definitionWorkflowId(engine.workspaceIdA, definition.definitionId);
    const before = await historyLength(definitionWorkflow);

    let next = 0;
    const answers = new Map<string, number>();
    const repeatOne = async (): Promise<void> => {
      while (next < REPEATS) {
        next += 1;
        const { executionId, deduplicated } = ok(await engine.admin.post('executions/dispatch', request));
        const key = `${executionId}:${String(deduplicated)}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, repeatOne));
    const elapsed = Date.now() - started;
    expect(Object.fromEntries(answers)).toEqual({ [`${first.executionId}:true`]: REPEATS });

    // `idempotency.suppressed` is internal (not in getEvents); the run reports how many it holds.
    const handle = engine.client.workflow.getHandle(executionWorkflowId(engine.workspaceIdA, first.executionId));
    expect((await handle.query(repeatAnswerQuery)).recordedRepeats).toBe(Math.min(REPEATS, MAX_RECORDED_REPEATS));

    const history = await handle.fetchHistory();
    const count = history.events?.length ?? 0;
    console.info(`${REPEATS} repeats in ${elapsed} ms (${CONCURRENCY} at a time); the run's history holds ${count} events`);
    expect(count).toBeLessThan(WELL_INSIDE);
    expect(await historyLength(definitionWorkflow)).toBe(before);

    ok(await engine.admin.post('executions/cancel', { executionId: first.executionId }));
    await waitForTerminal(engine.admin, first.executionId);
  });
});
