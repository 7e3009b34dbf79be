import { EngineError } from '../src/core/errors';
import { grpcStatus } from '../src/infra/temporal/grpc-status';

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_RESOURCE_EXHAUSTED = 8;

// Temporal's reasons are short fixed sentences ("namespace rate limit exceeded"); cap them anyway.
const reason = (details: string): string =>
  details
    .replace(/^\d+ [A-Z_]+: /, '')
    .replace(/\.$/, '')
    .slice(0, 200);

/**
 * Temporal's own limits as the documented envelope (docs/behaviour.md, "Limits"): a payload over
 * its blob size limit is INVALID_ARGUMENT, any RESOURCE_EXHAUSTED (rate limits, too many
 * concurrent requests to one workflow) is RESOURCE_EXHAUSTED; both name the limit.
 */
export const temporalLimitError = (error: unknown): EngineError | undefined => {
  const status = grpcStatus(error);
  if (status === undefined) return undefined;
  const details = status.details ?? status.message ?? '';
  if (status.code === GRPC_RESOURCE_EXHAUSTED) {
    return new EngineError(
      'RESOURCE_EXHAUSTED',
      `Temporal refused the request because a server limit was reached (${reason(details)}); retry later`,
    );
  }
  if (status.code === GRPC_INVALID_ARGUMENT && /size exceeds limit/i.test(details)) {
    return new EngineError(
      'INVALID_ARGUMENT',
      `the request is larger than Temporal accepts in one payload (${reason(details)}: Temporal's limit.blobSize.error, 2 MiB by default); send less data`,
    );
  }
  return undefined;
};
