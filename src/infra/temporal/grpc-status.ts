/** A gRPC status as Temporal's client raises it: its code, and its details and message when they are strings. */
export interface GrpcStatus {
  code: number;
  details: string | undefined;
  message: string | undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The first gRPC status down an error's cause chain (the client wraps them in ServiceError and friends). */
export const grpcStatus = (error: unknown): GrpcStatus | undefined => {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth += 1) {
    const candidate = current as { code?: unknown; details?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'number') {
      return { code: candidate.code, details: text(candidate.details), message: text(candidate.message) };
    }
    current = candidate.cause;
  }
  return undefined;
};
