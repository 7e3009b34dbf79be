import { randomUUID } from 'node:crypto';
import { grpcStatus } from './grpc-status';

const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_ABORTED = 10;
const GRPC_UNAVAILABLE = 14;
const RETRIED_CODES = new Set([GRPC_FAILED_PRECONDITION, GRPC_ABORTED, GRPC_UNAVAILABLE]);

// Temporal's wording when it drops an Update it had not yet durably accepted: the workflow task that
// carried it failed (e.g. UnhandledCommand: an activity result arrived while that task was closing
// the run), the run is closing or continuing as new, or its in-memory Update registry was cleared.
const ABORTED_UPDATE = /workflow task failure|update was aborted|workflow is closing|registry (was )?cleared|not ready to handle/i;

// Temporal admits a few Updates to one run at a time (history.maxInFlightUpdates, 10 by default) and
// refuses the rest before they reach the workflow: a burst of decisions on one step waits its turn.
const TOO_MANY_IN_FLIGHT = /in-flight updates/i;

const MAX_ATTEMPTS = 12;
const FIRST_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1_000;

/**
 * An Update the server dropped before the workflow accepted it: nothing of it reached history, so
 * sending it again (with the same update id) is safe and applies it at most once.
 */
export const isAbortedUpdate = (error: unknown): boolean => {
  const status = grpcStatus(error);
  if (status === undefined) return false;
  // Temporal's wording may sit in either field: read both.
  const text = `${status.details ?? ''} ${status.message ?? ''}`;
  if (status.code === GRPC_RESOURCE_EXHAUSTED) return TOO_MANY_IN_FLIGHT.test(text);
  return RETRIED_CODES.has(status.code) && ABORTED_UPDATE.test(text);
};

/** One id per API request: every attempt of that request's Update carries it, so Temporal deduplicates them. */
export const newUpdateId = (): string => randomUUID();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` again while Temporal aborts the Update (see `isAbortedUpdate`), with a short
 * backoff and a bounded number of attempts; the last abort is thrown (the error mapper answers
 * UNAVAILABLE for it). `retryAlso` names further errors worth another attempt.
 */
export const retryAbortedUpdate = async <R>(
  attempt: () => Promise<R>,
  retryAlso: (error: unknown) => boolean = () => false,
): Promise<R> => {
  for (let tries = 1, backoff = FIRST_BACKOFF_MS; ; tries += 1, backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= MAX_ATTEMPTS || !(isAbortedUpdate(error) || retryAlso(error))) throw error;
    }
    await sleep(backoff);
  }
};
