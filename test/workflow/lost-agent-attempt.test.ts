import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { AgentRunResult } from '../../activities/agent-types';
import { executionWorkflowId, getExecutionQuery } from '../../src/contracts/execution-messages';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { record, slowAgent } from '../fixtures/canonical-definitions';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { uniqueTaskQueue } from '../support/unique';

const WORKSPACE = 'ws_lost_attempt';
const bundle = () => ({ code: readFileSync(inject('workflowBundlePath'), 'utf8') });
const passed: AgentRunResult = { status: 'passed', summary: null, output: { from: 'second attempt' }, responseIds: [] };

/**
 * What a worker killed mid-attempt looks like to the server: the attempt neither heartbeats nor
 * ends. (It gives up only when this test's worker shuts down.)
 */
const lostAttempt = (): Promise<never> =>
  new Promise((_, reject) => {
    Context.current().cancellationSignal.addEventListener('abort', () => reject(new Error('worker shut down')));
  });

const noDeliveries = () => Promise.resolve({ ok: true as const, status: 200 });

const run = async (client: Client, taskQueue: string, indexed: boolean) => {
  const store = new ExecutionClient(client, taskQueue, { indexed });
  // The default 30-minute agentMaxRuntimeMs: without a per-attempt bound the step would wait for it.
  const { executionId } = await store.start({
    workspaceId: WORKSPACE,
    definition: record(slowAgent(0)),
    triggerContext: {},
    folderId: null,
    webhook: null,
  });
  const handle = client.workflow.getHandle(executionWorkflowId(WORKSPACE, executionId));
  await handle.result();
  return handle.query(getExecutionQuery) as Promise<any>;
};

describe('an agent attempt lost with its worker (real dev server)', () => {
  let connection: Connection;
  let nativeConnection: NativeConnection;
  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await nativeConnection?.close();
    await connection?.close();
  });

  it('is retried once its heartbeats stop, long before the ceiling, and the step completes once', async () => {
    const taskQueue = uniqueTaskQueue('lost-attempt');
    const attempts: Array<{ attempt: number; at: number }> = [];
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: bundle(),
      activities: {
        runAgent: async (): Promise<AgentRunResult> => {
          const { attempt } = Context.current().info;
          attempts.push({ attempt, at: Date.now() });
          return attempt === 1 ? lostAttempt() : passed;
        },
        deliverWebhook: noDeliveries,
      },
    });
    const view = await worker.runUntil(run(new Client({ connection }), taskQueue, true));

    expect(attempts.map(({ attempt }) => attempt)).toEqual([1, 2]);
    const draft = view.steps.find((step: any) => step.nodeId === 'draft');
    expect(draft.status).toBe('completed');
    expect(draft.output).toMatchObject({ from: 'second attempt' });
    expect(view.status).toBe('completed');
    // A measurement for the record, not an assertion: heartbeat timeout plus the first retry interval.
    console.log(`[lost-attempt] the lost attempt was retried after ${attempts[1]!.at - attempts[0]!.at} ms`);
  });
});

describe('every attempt of an agent lost (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  // Five lost attempts cost five heartbeat timeouts of real time: the server skips time only between them.
  it('fails the step with agent-failed after the retries, not with the ceiling', { timeout: 180_000 }, async () => {
    const taskQueue = uniqueTaskQueue('all-lost');
    let attempts = 0;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle(),
      activities: {
        runAgent: (): Promise<AgentRunResult> => {
          attempts += 1;
          return lostAttempt();
        },
        deliverWebhook: noDeliveries,
      },
    });
    // The Java test server cannot register custom search attributes.
    const view = await worker.runUntil(run(env.client, taskQueue, false));

    expect(attempts).toBe(5);
    const draft = view.steps.find((step: any) => step.nodeId === 'draft');
    expect(draft.status).toBe('failed');
    expect(draft.error.code).toBe('agent-failed');
    expect(draft.error.message).toMatch(/heartbeat/);
    expect(view.status).toBe('failed');
  });
});
