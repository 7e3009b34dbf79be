import { pino, type Logger } from 'pino';

export type { Logger };

export const createLogger = (name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger =>
  pino({ name, level, base: { service: name } });
