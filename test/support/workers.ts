import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, inject } from 'vitest';
import { Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities';
import { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';

/** The engine's workflows as the global setup bundled them once for the whole run. */
export const suiteWorkflowBundle = (): { code: string } => ({ code: readFileSync(inject('workflowBundlePath'), 'utf8') });

/** The engine's activities with no workspace registered (only `__mock__` agents run); private webhook targets allowed. */
export const testActivities = (deps: Partial<ActivityDeps> = {}) =>
  createActivities({ registry: new WorkspaceRegistry([]), allowPrivateWebhookTargets: true, ...deps });

/** A worker for the engine's workflows and activities on its own task queue. */
export const createTestWorker = (connection: NativeConnection, taskQueue: string, activities: object = testActivities()): Promise<Worker> =>
  Worker.create({ connection, taskQueue, workflowBundle: suiteWorkflowBundle(), activities });

/** A client and a worker connection to the suite's dev server, opened in beforeAll and closed in afterAll. */
export const useDevServerConnections = (): { client: () => Connection; worker: () => NativeConnection } => {
  let connection: Connection | undefined;
  let nativeConnection: NativeConnection | undefined;
  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await nativeConnection?.close();
    await connection?.close();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('connections open in beforeAll');
    return value;
  };
  return { client: () => opened(connection), worker: () => opened(nativeConnection) };
};
