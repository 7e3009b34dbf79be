import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { fixtureActivities } from '../fixtures/fixture-activities';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { uniqueTaskQueue } from '../support/unique';

const fixtureWorkflowsPath = fileURLToPath(new URL('../fixtures/timer-workflows.ts', import.meta.url));
let workflowBundle: { code: string };

beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({ workflowsPath: fixtureWorkflowsPath });
});

describe('the real dev server built from the Temporal CLI', () => {
  it('runs a workflow and its activity round trip through a worker', async () => {
    const address = inject('temporalAddress');
    const connection = await Connection.connect({ address });
    const nativeConnection = await NativeConnection.connect({ address });
    const taskQueue = uniqueTaskQueue('toolchain');
    const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities: fixtureActivities });
    const client = new Client({ connection });
    const result = await worker.runUntil(
      client.workflow.execute('greetingWorkflow', { taskQueue, workflowId: `greet-${taskQueue}`, args: ['reviewer'] }),
    );
    expect(result).toBe(`hello, reviewer, from pid ${process.pid}`);
    const history = await client.workflow.getHandle(`greet-${taskQueue}`).fetchHistory();
    expect(history.events?.some((event) => event.activityTaskCompletedEventAttributes)).toBe(true);
    await nativeConnection.close();
    await connection.close();
  });
});

describe('the time-skipping test server built from Maven Central', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('completes a 30-minute durable timer by skipping time', async () => {
    const taskQueue = uniqueTaskQueue('timer');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle,
      activities: fixtureActivities,
    });
    const before = await env.currentTimeMs();
    const result: string = await worker.runUntil(
      env.client.workflow.execute<(d: string) => Promise<string>>('longTimerWorkflow', {
        taskQueue,
        workflowId: `timer-${taskQueue}`,
        args: ['30 minutes'],
      }),
    );
    const skipped = (await env.currentTimeMs()) - before;
    expect(result).toMatch(/^slept \d+ms of workflow time$/);
    expect(Number(/slept (\d+)ms/.exec(result)?.[1])).toBeGreaterThanOrEqual(30 * 60 * 1000);
    expect(skipped).toBeGreaterThanOrEqual(30 * 60 * 1000);
  });
});
