/** The gRPC-style error vocabulary of the wire contract (docs/api.md, "Error codes"). */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'FAILED_PRECONDITION',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'RESOURCE_EXHAUSTED',
  'DEADLINE_EXCEEDED',
  'INTERNAL',
  'UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  message: string;
  status: ErrorCode;
  details?: Record<string, unknown>;
}

/**
 * An error the caller should see as the documented envelope. Pure code throws or returns these;
 * the API maps them to HTTP, the workflow converts them to ApplicationFailure with `type = status`.
 */
export class EngineError extends Error {
  readonly status: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'EngineError';
    this.status = status;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { message: this.message, status: this.status }
      : { message: this.message, status: this.status, details: this.details };
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);

export const invalidArgument = (message: string, details?: Record<string, unknown>): EngineError =>
  new EngineError('INVALID_ARGUMENT', message, details);
export const notFound = (message: string): EngineError => new EngineError('NOT_FOUND', message);
/** A definition that does not exist, is deleted, or is not addressed with its scope ids. */
export const definitionNotFound = (definitionId: string): EngineError => notFound(`definition ${definitionId} not found`);
export const executionNotFound = (executionId: string): EngineError => notFound(`execution ${executionId} not found`);
export const failedPrecondition = (message: string, details?: Record<string, unknown>): EngineError =>
  new EngineError('FAILED_PRECONDITION', message, details);
