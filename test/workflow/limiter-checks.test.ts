import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { admitExecutionsUpdate, limiterStateQuery, workspaceLimiterWorkflowId } from '../../src/contracts/workspace-limits';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { record, slaReview } from '../fixtures/canonical-definitions';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { uniqueTaskQueue } from '../support/unique';
import { createTestWorker } from '../support/workers';

const WORKSPACE = 'ws_limiter_checks';
const limits = { maxRunningExecutions: 100, maxRunningAgents: 2 };
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  taskQueue = uniqueTaskQueue('limiter-checks');
  worker = await createTestWorker(env.nativeConnection, taskQueue);
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

/*
 * The limiter's periodic check (docs/behaviour.md, "Workspace limits"): an admission whose run never
 * started is freed; a run the check has seen running is not asked about again while the workspace
 * has room, so parked runs cost no describe calls round after round.
 */
describe('the workspace limiter periodic check', () => {
  it('frees an admission whose run never started, and asks about a run it saw running only once', async () => {
    // A real run, parked on a review for days; and an admission whose dispatch never started its run.
    const executions = new ExecutionClient(env.client, taskQueue, { indexed: false });
    const { executionId } = await executions.start({
      workspaceId: WORKSPACE,
      definition: record(slaReview(7 * 24 * 60 * 60 * 1000)),
      triggerContext: {},
      folderId: null,
      webhook: null,
    });
    const parked = executionWorkflowId(WORKSPACE, executionId);
    const ghost = executionWorkflowId(WORKSPACE, 'exec_never_started');

    const limiter = await env.client.workflow.start('workspaceLimiterWorkflow', {
      workflowId: workspaceLimiterWorkflowId(WORKSPACE),
      taskQueue,
      args: [{ workspaceId: WORKSPACE, limits }],
    });
    const reply = await limiter.executeUpdate(admitExecutionsUpdate, {
      args: [
        {
          requests: [
            { workflowId: parked, limits },
            { workflowId: ghost, limits },
          ],
        },
      ],
    });
    expect(reply).toEqual({ outcomes: [{ admitted: true }, { admitted: true }], running: 2 });

    const checks = async (): Promise<number> => {
      const history = await limiter.fetchHistory();
      return (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes).length;
    };
    await env.sleep('6 minutes');
    const afterFirst = await limiter.query(limiterStateQuery);
    expect(Object.keys(afterFirst.running)).toEqual([parked]);
    expect(afterFirst.verified).toEqual([parked]);
    expect(await checks()).toBe(1);

    // Three more rounds: the parked run is not asked about again.
    await env.sleep('16 minutes');
    expect(await checks()).toBe(1);
    expect(Object.keys((await limiter.query(limiterStateQuery)).running)).toEqual([parked]);
    await executions.cancel(WORKSPACE, executionId, undefined).catch(() => undefined);
    await limiter.terminate();
  });

  it('refuses a batch none of which fits, before anything is written, and admits a mixed batch up to the limit', async () => {
    const tight = { maxRunningExecutions: 2, maxRunningAgents: 1 };
    const workspaceId = `${WORKSPACE}_tight`;
    const limiter = await env.client.workflow.start('workspaceLimiterWorkflow', {
      workflowId: workspaceLimiterWorkflowId(workspaceId),
      taskQueue,
      args: [{ workspaceId, limits: tight }],
    });
    const admit = (...ids: string[]) =>
      limiter.executeUpdate(admitExecutionsUpdate, { args: [{ requests: ids.map((workflowId) => ({ workflowId, limits: tight })) }] });
    const mixed = await admit('a', 'b', 'c');
    expect(mixed.outcomes).toEqual([
      { admitted: true },
      { admitted: true },
      {
        admitted: false,
        error: {
          status: 'RESOURCE_EXHAUSTED',
          message: 'workspace limit reached: 2 running executions (maxRunningExecutions); retry once some of them have ended',
        },
      },
    ]);
    // Refused in the validator: never accepted into history (the check's timers may write meanwhile).
    const accepted = async (): Promise<number> =>
      ((await limiter.fetchHistory()).events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length;
    expect(await accepted()).toBe(1);
    await expect(admit('d', 'e')).rejects.toMatchObject({
      cause: { type: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/^workspace limit reached: 2 running executions/) },
    });
    await expect(admit()).rejects.toMatchObject({
      cause: { type: 'INVALID_ARGUMENT', message: 'an admission batch holds 1 to 100 executions, not 0' },
    });
    expect(await accepted()).toBe(1);
    // Admitting an admitted run again is a no-op, even when full.
    expect((await admit('a')).outcomes).toEqual([{ admitted: true }]);
    await limiter.terminate();
  });
});
