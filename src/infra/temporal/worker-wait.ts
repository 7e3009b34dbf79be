import type { Client } from '@temporalio/client';
import { EngineError } from '../../core/errors';
import { workflowQueuePolled } from './workflow-pollers';

export interface WorkerWaitOptions {
  /** How long one call may wait for a worker's answer before the API asks whether any worker polls. */
  waitMs: number;
  /** Rounds of `waitMs` a call may take while a worker does poll, before it answers DEADLINE_EXCEEDED. */
  maxRounds: number;
}

export const DEFAULT_WORKER_WAIT: WorkerWaitOptions = { waitMs: 10_000, maxRounds: 6 };

export const noWorkerError = (taskQueue: string): EngineError =>
  new EngineError(
    'UNAVAILABLE',
    `no worker is polling task queue ${taskQueue}, so the engine cannot answer; start a worker and retry (an Update sent meanwhile may still apply once one starts)`,
  );

/**
 * Bounds the API's calls that only a worker can answer (Updates, queries, a dispatch claim's
 * result): each round waits `waitMs`; then, if no worker polls the task queue, the call answers
 * UNAVAILABLE instead of hanging; if one does, the call goes on (it may simply be busy), for at most
 * `maxRounds` rounds in all (docs/operations.md, "When no worker runs").
 */
export class WorkerWait {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly options: WorkerWaitOptions = DEFAULT_WORKER_WAIT,
  ) {}

  /** `call` runs again each round: it must be safe to repeat (same update id, a query, a result). */
  async run<R>(call: () => Promise<R>): Promise<R> {
    for (let round = 1; ; round += 1) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), this.options.waitMs);
      try {
        return await this.client.withAbortSignal(controller.signal, call);
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      } finally {
        clearTimeout(timer);
      }
      if (!(await this.workerPolling())) throw noWorkerError(this.taskQueue);
      if (round >= this.options.maxRounds) {
        const seconds = Math.round((this.options.waitMs * this.options.maxRounds) / 1000);
        throw new EngineError('DEADLINE_EXCEEDED', `the engine did not answer within ${seconds} s; retry later`);
      }
    }
  }

  /** Whether any worker polled the workflow task queue recently (unknown counts as yes: the wait goes on). */
  async workerPolling(now: number = Date.now()): Promise<boolean> {
    try {
      return await workflowQueuePolled(this.client, this.client.options.namespace, this.taskQueue, now);
    } catch {
      return true;
    }
  }
}
