import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

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

export const checkReadiness = async (
  connection: Connection,
  namespace: string,
  taskQueue: string,
  now: number = Date.now(),
): Promise<Readiness> => {
  try {
    const response = await connection.withDeadline(now + 5_000, () =>
      connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    const fresh = response.pollers.some((poller) => now - toMillis(poller.lastAccessTime) < POLLER_FRESHNESS_MS);
    return fresh
      ? { temporal: true, workerPolling: true }
      : { temporal: true, workerPolling: false, detail: `no worker is polling task queue ${taskQueue}` };
  } catch (error) {
    return { temporal: false, workerPolling: false, detail: TEMPORAL_UNREACHABLE, cause: (error as Error).message };
  }
};
