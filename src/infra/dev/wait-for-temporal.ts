import { Connection } from '@temporalio/client';
import { describeExit, type ExitStatus } from './supervised-process';

export interface WaitForTemporalOptions {
  /** The server's own process, when we started it: the wait fails as soon as it exits. */
  server?: { exited: Promise<ExitStatus> };
  /** Ends the wait early (Ctrl-C). */
  signal?: AbortSignal;
  /** Progress lines while waiting: a first start on a slow machine can take minutes. */
  log: (message: string) => void;
  progressEveryMs?: number;
}

export class TemporalNotReachedError extends Error {
  override readonly name = 'TemporalNotReachedError';
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const connectOnce = async (address: string): Promise<Connection> => {
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return connection;
  } catch (error) {
    await connection.close();
    throw error;
  }
};

/**
 * Polls until the frontend answers. No fixed deadline: a server we started is waited for as long
 * as its process lives (its exit ends the wait with the reason), with a progress line every 15 s.
 */
export const waitForTemporal = async (address: string, options: WaitForTemporalOptions): Promise<Connection> => {
  const started = Date.now();
  const progressEveryMs = options.progressEveryMs ?? 15_000;
  let exit: ExitStatus | undefined;
  void options.server?.exited.then((status) => {
    exit = status;
  });
  let nextProgress = started + progressEveryMs;
  for (;;) {
    try {
      return await connectOnce(address);
    } catch (error) {
      if (exit) throw new TemporalNotReachedError(`the Temporal dev server ${describeExit(exit)} before it answered at ${address}`);
      if (options.signal?.aborted) throw new TemporalNotReachedError(`stopped waiting for Temporal at ${address}`);
      if (Date.now() >= nextProgress) {
        const seconds = Math.round((Date.now() - started) / 1000);
        options.log(`still waiting for Temporal at ${address} (${seconds}s; last attempt: ${(error as Error).message})`);
        nextProgress += progressEveryMs;
      }
      await sleep(500);
    }
  }
};

export const isTemporalUp = async (address: string): Promise<boolean> => {
  try {
    const connection = await connectOnce(address);
    await connection.close();
    return true;
  } catch {
    return false;
  }
};
