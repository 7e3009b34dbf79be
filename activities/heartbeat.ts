import { Context } from '@temporalio/activity';

/**
 * How often a working agent heartbeats. The workflow's heartbeat timeout is five times this, so a
 * lost attempt (its worker died) is noticed within seconds, and a heartbeat also carries a
 * cancellation (SLA breach, execution cancel) into the attempt.
 */
export const HEARTBEAT_EVERY_MS = 1_000;

/** Heartbeats now and every second until `work` settles (an HTTP agent waiting for its answer). */
export const heartbeatWhile = async <T>(work: () => Promise<T>): Promise<T> => {
  const context = Context.current();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
};
