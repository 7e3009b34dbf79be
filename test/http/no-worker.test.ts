import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createEngineServices } from '../../api/services';
import { definitionWorkflowId } from '../../src/contracts/definition-messages';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { parseWorkspacesFile, workspaceIdFor, WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { controlTaskQueue } from '../../src/infra/control-task-queue';
import { checkReadiness } from '../../src/infra/temporal/readiness';
import { walkthroughDefinition } from '../fixtures/definitions';
import { callerFor, type Caller } from '../support/engine';
import { listen, type RunningApi } from '../support/http';
import { expectError, freshId } from '../support/rest-api';
import { silentLogger } from '../support/silent-logger';
import { testConnectionOptions } from '../support/temporal-connection';
import { testWorkspaces } from '../support/test-workspaces';
import { uniqueTaskQueue } from '../support/unique';

/** The API as `npm run api` runs it, on a task queue no worker polls, with a short worker wait. */
const taskQueue = uniqueTaskQueue('no-worker');
const { a, file } = await testWorkspaces(taskQueue.slice(-8));

describe('no worker polling the task queue', () => {
  let connection: Connection;
  let client: Client;
  let api: RunningApi;
  let admin: Caller;
  beforeAll(async () => {
    connection = await Connection.connect(testConnectionOptions());
    client = new Client({ connection });
    api = await listen(
      createApp({
        logger: silentLogger,
        registry: new WorkspaceRegistry(parseWorkspacesFile(file, 'test')),
        services: createEngineServices(client, taskQueue, {
          secretsKey: undefined,
          allowPrivateWebhookTargets: true,
          workerWait: { waitMs: 1_000, maxRounds: 2 },
        }),
        checkReadiness: () => checkReadiness(connection, 'default', taskQueue),
      }),
    );
    admin = callerFor(api.baseUrl, a.admin);
  });
  afterAll(async () => {
    await api?.close();
    await connection?.close();
  });

  const expectNoWorker = (response: Awaited<ReturnType<Caller['post']>>, queue = taskQueue): void => {
    const error = expectError(response, 'UNAVAILABLE', 503);
    expect(error.message).toBe(
      `no worker is polling task queue ${queue}, so the engine cannot answer; start a worker and retry (an Update sent meanwhile may still apply once one starts)`,
    );
  };
  const control = controlTaskQueue(taskQueue);

  it('answers UNAVAILABLE (503) naming the task queue for definition writes and reads, and for dispatch', async () => {
    const definitionId = freshId('no-worker');
    // A create asks the workspace's catalog first, so it never starts the definition's workflow here.
    expectNoWorker(await admin.post('definitions/create', walkthroughDefinition(definitionId)), control);
    const workspaceId = workspaceIdFor(a.admin.apiKey);
    // A definition whose workflow exists but that no worker ever picks up: its input is never read.
    await client.workflow.start('definitionWorkflow', {
      taskQueue,
      workflowId: definitionWorkflowId(workspaceId, definitionId),
      args: [{ workspaceId, definitionId, record: null }],
    });
    // Definitions are answered by the control queue's worker (docs/operations.md, "Task queues").
    expectNoWorker(await admin.post('definitions/get', { definitionId }), control);
    expectNoWorker(await admin.post('executions/dispatch', { definitionId }), control);
    expectNoWorker(await admin.post('executions/dispatch', { definitionId, idempotencyKey: 'k-1' }), control);
  });

  it('answers UNAVAILABLE (503) for an execution Update and read', async () => {
    const executionId = 'exec_1777374504255_nowork01';
    // A run that no worker ever picks up: its input is never read.
    await client.workflow.start('executionWorkflow', {
      taskQueue,
      workflowId: executionWorkflowId(workspaceIdFor(a.admin.apiKey), executionId),
      args: [{}],
    });
    expectNoWorker(await admin.post('executions/cancel', { executionId }));
    expectNoWorker(
      await admin.post('steps/recordReviewerDecision', { executionId, stepId: 'step_x', reviewerId: 'u_1', decision: 'approve' }),
    );
    expectNoWorker(await admin.post('executions/get', { executionId }));
    expectNoWorker(await admin.post('executions/getEvents', { executionId }));
  });
});
