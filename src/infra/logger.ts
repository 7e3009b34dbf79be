import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * `LOG_FORMAT=json|pretty`; unset means pretty on a terminal and JSON everywhere else (files,
 * pipes, log collectors). `npm start` asks its children for pretty lines. An unknown value falls
 * back to the default here, and `loadConfig` then stops the process naming the variable.
 */
export const logFormatFor = (env: NodeJS.ProcessEnv, stdoutIsTty: boolean): LogFormat => {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return stdoutIsTty ? 'pretty' : 'json';
};

export const createLogger = (name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger => {
  const options = { name, level, base: { service: name } };
  if (logFormatFor(process.env, process.stdout.isTTY === true) === 'json') return pino(options);
  // Synchronous, in-process: a fatal line written just before process.exit() is never lost.
  return pino(options, PinoPretty({ sync: true, singleLine: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss.l' }));
};
