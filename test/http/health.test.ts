import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { createEngineServices } from '../../api/services';
import { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { checkReadiness } from '../../src/infra/temporal/readiness';
import { controlTaskQueue } from '../../src/infra/control-task-queue';
import { createEngineWorker, createEngineWorkers } from '../../src/infra/worker/create-worker';
import { listen, type RunningApi } from '../support/http';
import { silentLogger } from '../support/silent-logger';
import { testConnectionOptions } from '../support/temporal-connection';
import { uniqueTaskQueue } from '../support/unique';
import { suiteWorkflowBundle } from '../support/workers';

const apiFor = async (connection: Connection, taskQueue: string): Promise<RunningApi> =>
  listen(
    createApp({
      logger: silentLogger,
      registry: new WorkspaceRegistry([]),
      services: createEngineServices(new Client({ connection }), taskQueue, {
        secretsKey: undefined,
        allowPrivateWebhookTargets: true,
      }),
      checkReadiness: () => checkReadiness(connection, 'default', taskQueue),
    }),
  );

describe('GET /healthz and /readyz', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect(testConnectionOptions());
  });
  afterAll(async () => {
    await connection.close();
  });

  it("reports ready only while workers poll the engine's task queue and its control queue", async () => {
    const taskQueue = uniqueTaskQueue('health');
    const api = await apiFor(connection, taskQueue);
    try {
      const before = await fetch(`${api.baseUrl}/readyz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toMatchObject({ status: 'not-ready', temporal: true, workerPolling: false });

      const nativeConnection = await NativeConnection.connect(testConnectionOptions());
      const activities = createActivities({ registry: new WorkspaceRegistry([]), allowPrivateWebhookTargets: true });
      // The server records a poller as soon as the worker's first long poll arrives.
      const readyzUntil = async (done: (body: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
        let body: Record<string, unknown> = {};
        for (let attempt = 0; attempt < 50; attempt += 1) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
          const response = await fetch(`${api.baseUrl}/readyz`);
          body = { httpStatus: response.status, ...((await response.json()) as Record<string, unknown>) };
          if (done(body)) break;
        }
        return body;
      };
      const workerOptions = {
        temporal: testConnectionOptions(),
        namespace: 'default',
        taskQueue,
        connection: nativeConnection,
        activities,
        workflowBundle: suiteWorkflowBundle(),
      };
      // A worker of the engine's queue alone (one deployed before the control queue) cannot answer definitions or admissions.
      const engineQueueOnly: Worker = await createEngineWorker(workerOptions);
      await engineQueueOnly.runUntil(async () => {
        const control = controlTaskQueue(taskQueue);
        expect(await readyzUntil((body) => body.detail !== `no worker is polling task queue ${taskQueue}`)).toEqual({
          httpStatus: 503,
          status: 'not-ready',
          temporal: true,
          workerPolling: false,
          detail: `no worker is polling task queue ${control}`,
        });
      });
      const workers = await createEngineWorkers({ ...workerOptions, slots: { agents: 1, webhooks: 1 } });
      const running = workers.run();
      try {
        expect(await readyzUntil((body) => body.httpStatus === 200)).toEqual({
          httpStatus: 200,
          status: 'ready',
          temporal: true,
          workerPolling: true,
        });
      } finally {
        workers.shutdown();
        await running;
      }
      await nativeConnection.close();
      const health = await fetch(`${api.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
    } finally {
      await api.close();
    }
  });

  it('reports Temporal unreachable as 503 while /healthz stays up', async () => {
    const unreachable = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const api = await apiFor(unreachable, 'anything');
    try {
      const ready = await fetch(`${api.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not-ready', temporal: false, workerPolling: false });
      expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('tells anyone only that Temporal is unreachable, and logs the cause once while it lasts', async () => {
    const logged: Array<{ msg: string; cause?: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const unreachable = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
    const api = await listen(
      createApp({
        logger,
        registry: new WorkspaceRegistry([]),
        services: createEngineServices(new Client({ connection: unreachable }), 'anything', {
          secretsKey: undefined,
          allowPrivateWebhookTargets: true,
        }),
        checkReadiness: () => checkReadiness(unreachable, 'default', 'anything'),
      }),
    );
    try {
      for (const _probe of [1, 2]) {
        const ready = await fetch(`${api.baseUrl}/readyz`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toEqual({ status: 'not-ready', temporal: false, workerPolling: false, detail: 'Temporal unreachable' });
      }
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ msg: 'not ready: Temporal unreachable' });
      expect(logged[0]?.cause).toBeTruthy();
    } finally {
      await api.close();
    }
  });
});
