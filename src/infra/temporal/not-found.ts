import { WorkflowNotFoundError } from '@temporalio/client';
import type { EngineError } from '../../core/errors';

/** A workflow that does not exist is the caller's NOT_FOUND (`notFound`, e.g. `definitionNotFound(id)`). */
export const withNotFound = async <T>(notFound: EngineError, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound;
    throw error;
  }
};
