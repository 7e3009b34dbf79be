import { Connection } from '@temporalio/client';
import type { Logger } from '../logger';
import type { TemporalConnectionOptions } from './connection-config';
import { registerSearchAttributes } from './register-search-attributes';

/**
 * Best effort at worker start: a self-hosted cluster gets the engine's search attributes registered;
 * where the operator API is not allowed (e.g. a managed cluster), an operator must add them.
 */
export const ensureSearchAttributes = async (temporal: TemporalConnectionOptions, namespace: string, logger: Logger): Promise<void> => {
  const connection = await Connection.connect(temporal);
  try {
    const added = await registerSearchAttributes(connection, namespace);
    if (added.length > 0) logger.info(`registered search attributes: ${added.join(', ')}`);
  } catch (error) {
    logger.warn(`could not register search attributes (${(error as Error).message}); register them by hand, see README`);
  } finally {
    await connection.close();
  }
};
