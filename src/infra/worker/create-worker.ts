import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from '../logger';
import { bundlerLogger } from './bundler-logger';
import { WORKFLOWS_PATH } from './workflows-path';

export interface EngineWorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** A pre-built bundle (tests bundle once per run); otherwise the worker bundles `workflows/`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  connection?: NativeConnection;
  /** Where the bundler reports; its webpack asset listing goes to `debug`. */
  logger?: Logger;
}

/**
 * Heartbeats reach the server at least this often (the SDK's own throttle is 80% of the heartbeat
 * timeout), so a live agent attempt keeps a wide margin below its heartbeat timeout under load.
 */
const MAX_HEARTBEAT_THROTTLE = '2 seconds';

export const createEngineWorker = async (options: EngineWorkerOptions): Promise<Worker> => {
  const connection = options.connection ?? (await NativeConnection.connect({ address: options.address }));
  const workflowBundle =
    options.workflowBundle ??
    (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...(options.logger ? { logger: bundlerLogger(options.logger) } : {}) }));
  return Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    workflowBundle,
    maxHeartbeatThrottleInterval: MAX_HEARTBEAT_THROTTLE,
  });
};
