import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { WebhookRetryClass } from '../../src/core/interpreter';
import { failureDetails } from './failure-details';

export interface OutboundFailure<D> {
  /** What the activity attached to its final failure. */
  details: Partial<D>;
  /** The activity's own failure (its code under the prefix), not a timeout or an unexpected error. */
  own: boolean;
  code: string;
  message: string;
  retryClass: WebhookRetryClass;
}

/**
 * What an outbound activity's final failure (a webhook-node call, a notification send) means for
 * its step: the activity's own `<prefix>-…` code, and whether retrying could have helped;
 * `<prefix>-unreachable` when every attempt timed out or was lost; otherwise a retryable
 * `<prefix>-failed` with the error's message.
 */
export const outboundFailure = <D>(error: unknown, prefix: string, what: string): OutboundFailure<D> => {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const details = failureDetails<D>(cause);
  if (cause instanceof ApplicationFailure && typeof cause.type === 'string' && cause.type.startsWith(`${prefix}-`)) {
    return { details, own: true, code: cause.type, message: cause.message, retryClass: cause.nonRetryable ? 'terminal' : 'retryable' };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      details,
      own: false,
      code: `${prefix}-unreachable`,
      message: `every attempt of the ${what} timed out or was lost`,
      retryClass: 'retryable',
    };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { details, own: false, code: `${prefix}-failed`, message, retryClass: 'retryable' };
};
