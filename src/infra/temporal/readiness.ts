import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { controlTaskQueue } from '../control-task-queue';

const { temporal } = proto;

export interface Readiness {
  temporal: boolean;
  workerPolling: boolean;
  /** Shown to anyone who asks `/readyz`: generic, never Temporal's own error text. */
  detail?: string;
  /** Why Temporal could not be asked, for the server log only (addresses, TLS and auth errors). */
  cause?: string;
}

export const TEMPORAL_UNREACHABLE = 'Temporal unreachable';

// A healthy worker re-polls at least once a minute; older poller records are workers that went away.
const POLLER_FRESHNESS_MS = 90_000;

const toMillis = (ts: proto.temporal.api.workflowservice.v1.DescribeTaskQueueResponse['pollers'][number]['lastAccessTime']): number =>
  ts ? Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6) : 0;

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
  const polled = async (name: string): Promise<boolean> => {
    const response = await connection.withDeadline(now + 5_000, () =>
      connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    return response.pollers.some((poller) => now - toMillis(poller.lastAccessTime) < POLLER_FRESHNESS_MS);
  };
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
