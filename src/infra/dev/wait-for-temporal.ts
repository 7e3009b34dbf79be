import { Connection } from '@temporalio/client';

/** Polls until the frontend answers, so the worker and API start against a live server. */
export const waitForTemporal = async (address: string, timeoutMs = 60_000): Promise<Connection> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs / 1000}s: ${String(lastError)}`);
};

export const isTemporalUp = async (address: string): Promise<boolean> => {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.getSystemInfo({});
    await connection.close();
    return true;
  } catch {
    return false;
  }
};
