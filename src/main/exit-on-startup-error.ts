import type { Logger } from '../infra/logger';

/** A bad configuration or unreachable dependency at start stops the process with a clear message. */
export const exitOnStartupError = async (logger: Logger, start: () => void | Promise<void>): Promise<void> => {
  try {
    await start();
  } catch (error) {
    logger.fatal(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
};
