import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './workflows-path';

export interface EngineWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A pre-built bundle (tests bundle once per run); otherwise the worker bundles `workflows/`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  connection?: NativeConnection;
}

export const createEngineWorker = async (options: EngineWorkerOptions): Promise<Worker> => {
  const connection = options.connection ?? (await NativeConnection.connect({ address: options.address }));
  return Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
};
