import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from '../logger';
import type { TemporalConnectionOptions } from '../temporal/connection-config';
import { controlTaskQueue } from '../control-task-queue';
import { activityTaskQueues, type WorkerSlots } from '../workspace-limits-config';
import { bundlerLogger } from './bundler-logger';
import { engineBundleOptions } from './workflow-bundle-options';

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
  /** Workflow-task polls kept open (default 20; docs/bench.md, "Dispatch bursts"). */
  workflowPolls?: number | undefined;
}

export const DEFAULT_WORKFLOW_POLLS = 20;
/**
 * The SDK gives a fifth of its polls to the queue of new and evicted runs (the rest wait on the
 * worker's sticky queue). A dispatch burst is all new runs: with 2 such polls their first tasks
 * queued for tens of seconds, and so did anything new behind them (a new definition's create, a
 * definition continuing as new); half keeps that queue drained (docs/bench.md, "Dispatch bursts").
 */
const NEW_RUN_POLL_SHARE = 0.5;

/**
 * Heartbeats reach the server at least this often (the SDK's own throttle is 80% of the heartbeat
 * timeout), so a live agent attempt keeps a wide margin below its heartbeat timeout under load.
 */
const MAX_HEARTBEAT_THROTTLE = '2 seconds';

/**
 * Workflows the control worker keeps cached: a workspace's limiter and its busiest definitions stay
 * warm; the rest replay from short histories (they continue as new). Small, so the second cache
 * costs little memory beside the runs' own (docs/bench.md, "Worker memory").
 */
const CONTROL_CACHED_WORKFLOWS = 500;

const engineWorkflowBundle = async (options: EngineWorkerOptions): Promise<NonNullable<WorkerOptions['workflowBundle']>> =>
  options.workflowBundle ??
  (await bundleWorkflowCode({ ...engineBundleOptions(), ...(options.logger ? { logger: bundlerLogger(options.logger) } : {}) }));

export const createEngineWorker = async (options: EngineWorkerOptions): Promise<Worker> => {
  const connection = options.connection ?? (await NativeConnection.connect(options.temporal));
  const workflowBundle = await engineWorkflowBundle(options);
  return Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    workflowBundle,
    maxHeartbeatThrottleInterval: MAX_HEARTBEAT_THROTTLE,
    maxConcurrentWorkflowTaskPolls: options.workflowPolls ?? DEFAULT_WORKFLOW_POLLS,
    nonStickyToStickyPollRatio: NEW_RUN_POLL_SHARE,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
};

/**
 * The engine's workers in one process: the runs on the engine's queue, the limiters and definitions
 * on the control queue, agents and webhook deliveries each on their own.
 */
export interface EngineWorkers {
  run: () => Promise<void>;
  shutdown: () => void;
}

/**
 * One worker per task queue on one connection (docs/operations.md, "Task queues"): the engine's
 * queue (the runs, the limiters and definitions started before the control queue existed, and the
 * activities of runs recorded before the split), the control queue (limiters and definitions, with
 * their own workflow thread and cache), the agents' queue and the webhooks' queue, each with its own
 * pool of activity slots, so slow agents never hold a slot a delivery needs.
 */
export const createEngineWorkers = async (options: EngineWorkerOptions & { slots: WorkerSlots }): Promise<EngineWorkers> => {
  const connection = options.connection ?? (await NativeConnection.connect(options.temporal));
  const workflowBundle = await engineWorkflowBundle(options);
  const main = await createEngineWorker({ ...options, connection, workflowBundle });
  const control = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: controlTaskQueue(options.taskQueue),
    activities: options.activities,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    workflowBundle,
    maxHeartbeatThrottleInterval: MAX_HEARTBEAT_THROTTLE,
    maxCachedWorkflows: CONTROL_CACHED_WORKFLOWS,
  });
  const queues = activityTaskQueues(options.taskQueue);
  const activityWorker = (taskQueue: string, slots: number): Promise<Worker> =>
    Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue,
      activities: options.activities,
      ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
      maxConcurrentActivityTaskExecutions: slots,
      maxHeartbeatThrottleInterval: MAX_HEARTBEAT_THROTTLE,
    });
  const workers = [
    main,
    control,
    await activityWorker(queues.agents, options.slots.agents),
    await activityWorker(queues.webhooks, options.slots.webhooks),
  ];
  const shutdown = (): void => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    run: async () => {
      const runs = workers.map((worker) =>
        worker.run().catch((error: unknown) => {
          shutdown();
          throw error;
        }),
      );
      await Promise.all(runs);
    },
    shutdown,
  };
};
