const GRPC_FAILED_PRECONDITION = 9;
const ATTEMPTS = 5;

/**
 * Temporal aborts an Update whose workflow task failed before it was accepted, e.g. when the
 * workflow's attempt to continue as new met a signal that arrived meanwhile ("Unable to perform
 * workflow execution update due to unexpected workflow task failure"). Nothing of it was applied,
 * so it is sent again.
 */
const isAborted = (error: unknown): boolean => {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth += 1) {
    const candidate = current as { code?: unknown; details?: unknown; cause?: unknown };
    if (
      candidate.code === GRPC_FAILED_PRECONDITION &&
      typeof candidate.details === 'string' &&
      /unexpected workflow task failure/i.test(candidate.details)
    ) {
      return true;
    }
    current = candidate.cause;
  }
  return false;
};

export const retryingAbortedUpdates = async <T>(call: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isAborted(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
};
