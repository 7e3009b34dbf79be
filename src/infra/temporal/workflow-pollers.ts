import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;

// A healthy worker re-polls at least once a minute (a poll is a long poll); older poller records are workers that went away.
const POLLER_FRESHNESS_MS = 90_000;

/** A Temporal client or connection: both can describe a task queue under a deadline. */
export interface TaskQueueDescriber {
  workflowService: Connection['workflowService'];
  withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R>;
}

type PollerTime = proto.temporal.api.workflowservice.v1.DescribeTaskQueueResponse['pollers'][number]['lastAccessTime'];

const toMillis = (timestamp: PollerTime): number =>
  timestamp ? Number(timestamp.seconds ?? 0) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6) : 0;

/**
 * Whether a worker polled the workflow task queue within the last 90 s (the readiness check and the
 * API's wait for a worker both ask this). Throws when Temporal cannot be asked within 5 s.
 */
export const workflowQueuePolled = async (
  temporalService: TaskQueueDescriber,
  namespace: string,
  taskQueue: string,
  now: number = Date.now(),
): Promise<boolean> => {
  const response = await temporalService.withDeadline(now + 5_000, () =>
    temporalService.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    }),
  );
  return response.pollers.some((poller) => now - toMillis(poller.lastAccessTime) < POLLER_FRESHNESS_MS);
};
