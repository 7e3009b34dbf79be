import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { ALL_SEARCH_ATTRIBUTES } from '../../contracts/search-attributes';
import type { TemporalConnectionOptions } from '../temporal/connection-config';
import { registerSearchAttributes } from '../temporal/register-search-attributes';

const NOT_FOUND = 5;

/** Polls until the frontend answers over its TLS connection, or the server process dies. */
export const waitForFrontend = async (
  options: TemporalConnectionOptions,
  serverExited: () => boolean,
  timeoutMs = 120_000,
): Promise<Connection> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline && !serverExited()) {
    try {
      const connection = await Connection.connect({ ...options, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(
    serverExited()
      ? 'the Temporal server exited during start'
      : `the Temporal frontend at ${options.address} did not answer within ${timeoutMs / 1000}s: ${String(lastError)}`,
  );
};

/**
 * Registers the namespace when it does not exist, then the engine's search attributes, and waits
 * until a visibility query over them is accepted (the server caches both). Returns what it did.
 */
export const ensureNamespace = async (
  connection: Connection,
  namespace: string,
  retentionDays: number,
  timeoutMs = 60_000,
): Promise<{ registered: boolean; searchAttributesAdded: string[] }> => {
  let registered = false;
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    if ((error as { code?: number }).code !== NOT_FOUND) throw error;
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
      description: 'approval engine',
    });
    registered = true;
  }
  const deadline = Date.now() + timeoutMs;
  let searchAttributesAdded: string[] | undefined;
  let lastError: unknown;
  const probe = ALL_SEARCH_ATTRIBUTES.map((key) => `${key.name} IS NULL`).join(' AND ');
  while (Date.now() < deadline) {
    try {
      searchAttributesAdded ??= await registerSearchAttributes(connection, namespace);
      await connection.workflowService.countWorkflowExecutions({ namespace, query: probe });
      return { registered, searchAttributesAdded };
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`namespace ${namespace} was not usable within ${timeoutMs / 1000}s: ${String(lastError)}`);
};
