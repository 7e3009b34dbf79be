import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { EngineError, isErrorCode } from '../src/core/errors';
import type { Logger } from '../src/infra/logger';
import { isAbortedUpdate } from '../src/infra/temporal/aborted-update';
import { HTTP_STATUS } from './http-status';
import { RateLimited } from './middleware/rate-limit';
import { temporalLimitError } from './temporal-limits';

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

const grpcCode = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};

/** Temporal failures carry our error code in `type` (ApplicationFailure) somewhere down the cause chain. */
const engineErrorFromCause = (error: unknown): EngineError | undefined => {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth += 1) {
    if (current instanceof EngineError) return current;
    const candidate = current as { type?: unknown; message?: unknown; details?: unknown; cause?: unknown };
    if (isErrorCode(candidate.type) && typeof candidate.message === 'string') {
      const [details] = Array.isArray(candidate.details) ? (candidate.details as unknown[]) : [];
      return new EngineError(
        candidate.type,
        candidate.message,
        details && typeof details === 'object' ? (details as Record<string, unknown>) : undefined,
      );
    }
    current = candidate.cause;
  }
  return undefined;
};

export const toEngineError = (error: unknown): EngineError => {
  const engineError = engineErrorFromCause(error);
  if (engineError) return engineError;
  if (error instanceof HTTPException && error.status === 413) {
    return new EngineError('INVALID_ARGUMENT', 'request body exceeds the 1 MiB limit');
  }
  const limit = temporalLimitError(error);
  if (limit) return limit;
  // Still aborted after every retry (src/infra/temporal/aborted-update.ts): a race, not a bug.
  if (isAbortedUpdate(error)) return new EngineError('UNAVAILABLE', 'Temporal could not apply the request at this moment; retry');
  const code = grpcCode(error) ?? grpcCode((error as { cause?: unknown } | null)?.cause);
  if (code === GRPC_UNAVAILABLE) return new EngineError('UNAVAILABLE', 'Temporal is unavailable; retry later');
  if (code === GRPC_DEADLINE_EXCEEDED) return new EngineError('DEADLINE_EXCEEDED', 'the request timed out; retry later');
  return new EngineError('INTERNAL', 'internal error');
};

export const errorResponse = (c: Context, error: EngineError): Response => c.json({ error: error.toBody() }, HTTP_STATUS[error.status]);

/** Hono hands only `Error`s to the error handler: anything else thrown is wrapped, so it too gets the envelope. */
export const asError = (thrown: unknown): Error =>
  thrown instanceof Error ? thrown : new Error('a non-Error was thrown', { cause: thrown });

/** The single place where anything thrown becomes the documented envelope. */
export const createErrorHandler =
  (logger: Logger) =>
  (error: Error, c: Context): Response => {
    const engineError = toEngineError(error);
    if (engineError.status === 'INTERNAL') logger.error({ err: error, path: c.req.path }, 'unhandled error');
    if (engineError instanceof RateLimited) c.header('Retry-After', String(engineError.retryAfterSeconds));
    return errorResponse(c, engineError);
  };
