import { ApplicationFailure } from '@temporalio/workflow';
import type { ErrorCode } from '../src/core/errors';

/**
 * Errors callers must see are ApplicationFailures whose `type` is the wire error code;
 * the API's error mapper turns them back into the envelope.
 */
export const engineFailure = (status: ErrorCode, message: string, details?: Record<string, unknown>): ApplicationFailure =>
  ApplicationFailure.create({ type: status, message, nonRetryable: true, details: details ? [details] : [] });
