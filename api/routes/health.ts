import { Hono } from 'hono';
import type { Logger } from '../../src/infra/logger';
import type { Readiness } from '../../src/infra/temporal/readiness';

/**
 * `/healthz` (the process is up) and `/readyz` (Temporal answers and a worker polls), both without
 * auth: `/readyz` says only what is wrong, and the cause (Temporal's error, which can name hosts,
 * certificates or credentials) goes to the log, once per change rather than once per probe.
 */
export const healthRoutes = (checkReadiness: () => Promise<Readiness>, logger: Logger): Hono => {
  let lastLoggedCause: string | undefined;
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const { cause, ...readiness } = await checkReadiness();
      if (cause !== lastLoggedCause) {
        if (cause !== undefined) logger.warn({ cause }, `not ready: ${readiness.detail ?? 'Temporal unreachable'}`);
        lastLoggedCause = cause;
      }
      const ready = readiness.temporal && readiness.workerPolling;
      return c.json({ status: ready ? 'ready' : 'not-ready', ...readiness }, ready ? 200 : 503);
    });
};
