import { EngineError } from '../src/core/errors';

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_RESOURCE_EXHAUSTED = 8;

interface GrpcStatus {
  code: number;
  details: string;
}

/** The first gRPC status down the cause chain (the client wraps them in ServiceError and friends). */
const grpcStatus = (error: unknown): GrpcStatus | undefined => {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth += 1) {
    const candidate = current as { code?: unknown; details?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'number') {
      const details =
        typeof candidate.details === 'string' ? candidate.details : typeof candidate.message === 'string' ? candidate.message : '';
      return { code: candidate.code, details };
    }
    current = candidate.cause;
  }
  return undefined;
};

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
  if (status.code === GRPC_RESOURCE_EXHAUSTED) {
    return new EngineError(
      'RESOURCE_EXHAUSTED',
      `Temporal refused the request because a server limit was reached (${reason(status.details)}); retry later`,
    );
  }
  if (status.code === GRPC_INVALID_ARGUMENT && /size exceeds limit/i.test(status.details)) {
    return new EngineError(
      'INVALID_ARGUMENT',
      `the request is larger than Temporal accepts in one payload (${reason(status.details)}: Temporal's limit.blobSize.error, 2 MiB by default); send less data`,
    );
  }
  return undefined;
};
