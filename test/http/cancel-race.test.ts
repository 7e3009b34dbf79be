import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { mockAgent } from '../fixtures/execution-definitions';
import { allEvents, createDefinition, dispatch, freshId, getExecution, waitForTerminal } from '../support/rest-api';
import type { ApiResponse } from '../support/engine';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { useEngine } from '../support/engine';
import { suiteWorkflowBundle } from '../support/workers';

const engine = useEngine();
const { admin } = engine;

const ROUNDS = 48;

/** Three instant agents in a row: their results keep arriving while a cancel closes the run. */
const instantAgents = (definitionId: string) => ({
  definitionId,
  name: 'Instant agents',
  nodes: [mockAgent('agent-a'), mockAgent('agent-b'), mockAgent('agent-c')],
  edges: [
    { from: 'agent-a', to: 'agent-b' },
    { from: 'agent-b', to: 'agent-c' },
  ],
});

describe('executions/cancel right after dispatch, against instant agents', () => {
  it(`always answers success, and the run ends cancelled or completed (${ROUNDS} rounds)`, async () => {
    const definitionId = freshId('cancel-race');
    await createDefinition(admin, instantAgents(definitionId));
    const rounds = await Promise.all(
      Array.from({ length: ROUNDS }, async () => {
        const { executionId } = await dispatch(admin, { definitionId });
        const cancel: ApiResponse = await admin.post('executions/cancel', { executionId, reason: 'race' });
        return { executionId, cancel };
      }),
    );
    const refused = rounds.filter(({ cancel }) => cancel.status !== 200);
    console.info(
      `cancel race: ${refused.length} of ${ROUNDS} cancels refused`,
      refused.map(({ cancel }) => `${cancel.status} ${JSON.stringify(cancel.body)}`),
    );
    expect(refused.map(({ cancel }) => cancel.body)).toEqual([]);

    for (const { executionId, cancel } of rounds) {
      expect(cancel.body.result).toEqual({ cancelled: true, executionId });
      const view = await waitForTerminal(admin, executionId);
      // Cancel wins unless every agent had already finished: the run then reports it completed.
      expect(['cancelled', 'completed']).toContain(view.status);
      const events = await allEvents(admin, executionId);
      const terminal = events.filter((event) => ['execution.completed', 'execution.cancelled', 'execution.failed'].includes(event.type));
      expect(terminal.map((event) => event.type)).toEqual([`execution.${view.status}`]);
      expect(terminal[0]).toBe(events.at(-1));
      expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
      events.slice(1).forEach((event, index) => expect(event.seq).toBeGreaterThan(events[index]!.seq));
      if (view.status === 'cancelled') {
        // No step started after the cancel, and none is left running.
        expect(view.steps.every((step) => step.status !== 'running' && step.status !== 'waiting')).toBe(true);
      }
      expect((await getExecution(admin, executionId)).status).toBe(view.status);
    }

    // Every history, the raced ones included, replays on today's workflow code.
    const histories = await Promise.all(
      rounds.map(({ executionId }) =>
        engine.client.workflow
          .getHandle(executionWorkflowId(engine.workspaceIdA, executionId))
          .fetchHistory()
          .then((history) => ({ workflowId: executionId, history })),
      ),
    );
    const raced = histories.filter(({ history }) => history.events?.some((event) => event.workflowTaskFailedEventAttributes));
    const cancelled =
      rounds.length -
      (await Promise.all(rounds.map(({ executionId }) => getExecution(admin, executionId)))).filter((view) => view.status === 'completed')
        .length;
    console.info(`cancel race: ${cancelled} of ${ROUNDS} runs cancelled, ${raced.length} histories with a failed workflow task`);
    const replayed = Worker.runReplayHistories({ workflowBundle: suiteWorkflowBundle(), dataConverter: engine.dataConverter }, histories);
    for await (const result of replayed) expect(result.error).toBeUndefined();
  }, 240_000);
});
