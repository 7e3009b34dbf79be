import { ApplicationFailure } from '@temporalio/workflow';

/**
 * The details an activity attached to its final ApplicationFailure, however deep the SDK wrapped it
 * (a timeout carries the last attempt's failure as its cause); `{}` when there is none.
 */
export const failureDetails = <T>(error: unknown): Partial<T> => {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    if (current instanceof ApplicationFailure) return (current.details?.[0] as Partial<T> | undefined) ?? {};
  }
  return {};
};
