import { WorkflowNotFoundError } from '@temporalio/client';
import { EngineError } from '../../core/errors';

/** A workflow that does not exist is the caller's NOT_FOUND (`<what> <id> not found`). */
export const withNotFound = async <T>(what: string, id: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new EngineError('NOT_FOUND', `${what} ${id} not found`);
    throw error;
  }
};
