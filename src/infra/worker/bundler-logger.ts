import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from '../logger';

/** The bundler's one useful info line; everything else it says at info is webpack's asset listing. */
const BUNDLE_CREATED = 'Workflow bundle created';

/**
 * The workflow bundler's logger: the webpack asset listing (dozens of lines at every worker start)
 * is demoted to `debug`; the "bundle created" line, warnings and errors keep their level.
 */
export const bundlerLogger = (logger: Logger): TemporalLogger => {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}): void => {
    switch (level) {
      case 'ERROR':
        logger.error(meta, message);
        return;
      case 'WARN':
        logger.warn(meta, message);
        return;
      case 'INFO':
        if (message === BUNDLE_CREATED) logger.info(meta, message);
        else logger.debug(meta, message);
        return;
      case 'DEBUG':
        logger.debug(meta, message);
        return;
      case 'TRACE':
        logger.trace(meta, message);
        return;
    }
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
};
