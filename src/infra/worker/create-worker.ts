import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from '../logger';
import type { TemporalConnectionOptions } from '../temporal/connection-config';
import { bundlerLogger } from './bundler-logger';
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
  /** Where the bundler reports; its webpack asset listing goes to `debug`. */
  logger?: Logger;
  /**
   * Workflows kept in the worker's cache. Each costs memory for as long as it stays (its own copy
   * of the workflow bundle's modules, docs/bench.md "Worker memory"); an evicted one is replayed
   * from its history on its next task. Default: the SDK's, sized from the heap limit.
   */
  maxCachedWorkflows?: number | undefined;
}

/**
 * Heartbeats reach the server at least this often (the SDK's own throttle is 80% of the heartbeat
 * timeout), so a live agent attempt keeps a wide margin below its heartbeat timeout under load.
 */
const MAX_HEARTBEAT_THROTTLE = '2 seconds';

export const createEngineWorker = async (options: EngineWorkerOptions): Promise<Worker> => {
  const connection = options.connection ?? (await NativeConnection.connect(options.temporal));
  const workflowBundle =
    options.workflowBundle ??
    (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...(options.logger ? { logger: bundlerLogger(options.logger) } : {}) }));
  return Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    workflowBundle,
    maxHeartbeatThrottleInterval: MAX_HEARTBEAT_THROTTLE,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
};
