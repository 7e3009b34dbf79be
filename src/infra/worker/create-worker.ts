import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { TemporalConnectionOptions } from '../temporal/connection-config';
import { WORKFLOWS_PATH } from './workflows-path';

export interface EngineWorkerOptions {
  /** How to reach Temporal (address, TLS, API key); ignored when `connection` is given. */
  temporal: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** Payload encryption (src/infra/payload-codec); the API's client must use the same. */
  dataConverter?: DataConverter | undefined;
  /** A pre-built bundle (tests bundle once per run); otherwise the worker bundles `workflows/`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  connection?: NativeConnection;
}

export const createEngineWorker = async (options: EngineWorkerOptions): Promise<Worker> => {
  const connection = options.connection ?? (await NativeConnection.connect(options.temporal));
  return Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
};
