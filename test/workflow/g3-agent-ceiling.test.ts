import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CanonicalDefinition } from '../../src/core/definition';
import { executionWorkflowId, getEventsQuery, getExecutionQuery } from '../../src/contracts/execution-messages';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { cappedAgent, record, slowAgent } from '../fixtures/canonical-definitions';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { uniqueTaskQueue } from '../support/unique';
import { createTestWorker, useDevServerConnections } from '../support/workers';

/*
 * The agent ceiling of a `g3` definition (docs/behaviour.md, "G3 runtime"): 10 minutes unless the
 * node sets `agentMaxRuntimeMs`. As for the seed's 30 minutes (test/workflow/execution-timers.test.ts
 * and agent-ceiling.test.ts), the proof has two halves, because the Java time-skipping server
 * locks its clock while an activity task is outstanding and so cannot run a live agent's ten
 * minutes out: on the time-skipping server, the deadline each run schedules; on the dev server,
 * that this deadline ends a g3 agent step that is still waiting, with agent-timeout.
 */

const g3 = (definition: CanonicalDefinition): CanonicalDefinition => ({ ...definition, generation: 'g3' });

describe('the g3 agent ceiling: the deadline each run schedules (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it.each([
    ['a g3 agent that sets none: 10 minutes', g3(slowAgent(0)), 10 * 60],
    ['a g3 agent with its own ceiling: that one (24 h at most)', g3(cappedAgent(86_400_000, 0)), 24 * 60 * 60],
    ['a g2 agent that sets none: still 30 minutes', slowAgent(0), 30 * 60],
  ])('%s', async (_, definition, seconds) => {
    const taskQueue = uniqueTaskQueue('g3-deadline');
    // Workflows only: the agent activity is scheduled and never picked up, so nothing races the reads.
    const workflowsOnly = await createTestWorker(env.nativeConnection, taskQueue, {});
    const store = new ExecutionClient(env.client, taskQueue, { indexed: false });
    const { executionId } = await store.start({
      workspaceId: 'ws_g3_deadline',
      definition: record(definition),
      triggerContext: {},
      folderId: null,
      webhook: null,
    });
    const handle = env.client.workflow.getHandle(executionWorkflowId('ws_g3_deadline', executionId));
    const { scheduled, view } = await workflowsOnly.runUntil(async () => {
      for (;;) {
        const history = await handle.fetchHistory();
        const event = history.events?.find((candidate) => candidate.activityTaskScheduledEventAttributes);
        if (event) return { scheduled: event.activityTaskScheduledEventAttributes!, view: await handle.query(getExecutionQuery) };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    expect(scheduled.activityType?.name).toBe('runAgent');
    expect(Number(scheduled.scheduleToCloseTimeout?.seconds)).toBe(seconds);
    expect(view.steps[0]?.status).toBe(definition.generation === 'g3' ? 'waiting' : 'running');
    await handle.terminate('test done');
  });
});

describe('the g3 agent ceiling: the deadline ends a waiting agent step (dev server)', () => {
  const connections = useDevServerConnections();

  it('a g3 agent still running at its ceiling fails its step with agent-timeout, reported with source timeout', async () => {
    const taskQueue = uniqueTaskQueue('g3-ceiling');
    const worker = await createTestWorker(connections.worker(), taskQueue);
    const client = new Client({ connection: connections.client() });
    const store = new ExecutionClient(client, taskQueue);
    const { view, events } = await worker.runUntil(async () => {
      const { executionId } = await store.start({
        workspaceId: 'ws_g3_ceiling',
        definition: record(g3(cappedAgent(1_500, 60_000))),
        triggerContext: {},
        folderId: null,
        webhook: null,
      });
      const handle = client.workflow.getHandle(executionWorkflowId('ws_g3_ceiling', executionId));
      await handle.result();
      return { view: await handle.query(getExecutionQuery), events: await handle.query(getEventsQuery, { sinceSeq: 0, pageSize: 100 }) };
    });
    const draft = view.steps.find((step) => step.nodeId === 'draft');
    expect(draft).toMatchObject({ status: 'failed', error: { code: 'agent-timeout' } });
    expect(view).toMatchObject({ status: 'failed', failureReason: { code: 'step-failed' } });
    expect(events.events.map((event) => event.type)).toEqual([
      'execution.dispatched',
      'step.awaiting-approval',
      'step.failed',
      'execution.failed',
    ]);
    expect(events.events[2]?.data).toMatchObject({
      error: { code: 'agent-timeout' },
      agentExecutionId: `agentexec_${draft?.stepId}`,
      decision: 'reject',
      source: 'timeout',
    });
  });
});
