import type { Connection } from '@temporalio/client';
import { controlTaskQueue } from '../control-task-queue';
import { workflowQueuePolled } from './workflow-pollers';

export interface Readiness {
  temporal: boolean;
  workerPolling: boolean;
  /** Shown to anyone who asks `/readyz`: generic, never Temporal's own error text. */
  detail?: string;
  /** Why Temporal could not be asked, for the server log only (addresses, TLS and auth errors). */
  cause?: string;
}

export const TEMPORAL_UNREACHABLE = 'Temporal unreachable';

/**
 * Ready while Temporal answers and a worker polls both the engine's queue and its control queue
 * (docs/operations.md, "Task queues"): without either, dispatches cannot be answered.
 */
export const checkReadiness = async (
  connection: Connection,
  namespace: string,
  taskQueue: string,
  now: number = Date.now(),
): Promise<Readiness> => {
  const polled = (name: string): Promise<boolean> => workflowQueuePolled(connection, namespace, name, now);
  try {
    const queues = [taskQueue, controlTaskQueue(taskQueue)];
    const fresh = await Promise.all(queues.map(polled));
    const idle = queues.find((_, index) => !fresh[index]);
    return idle === undefined
      ? { temporal: true, workerPolling: true }
      : { temporal: true, workerPolling: false, detail: `no worker is polling task queue ${idle}` };
  } catch (error) {
    return { temporal: false, workerPolling: false, detail: TEMPORAL_UNREACHABLE, cause: (error as Error).message };
  }
};
