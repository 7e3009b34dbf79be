import { Hono } from 'hono';
import type { Logger } from '../../src/infra/logger';
import type { Readiness } from '../../src/infra/temporal/readiness';

/**
 * `/healthz` (the process is up) and `/readyz` (Temporal answers and a worker polls), both without
 * auth: `/readyz` says only what is wrong, and the cause (Temporal's error, which can name hosts,
 * certificates or credentials) goes to the log, once when the failure starts rather than once per
 * probe. Keyed on the failure, not on the cause's text: one outage can fail with several messages
 * (refused, then a deadline), and would otherwise log on every probe.
 */
export const healthRoutes = (checkReadiness: () => Promise<Readiness>, logger: Logger): Hono => {
  let loggedFailure: string | undefined;
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const { cause, ...readiness } = await checkReadiness();
      const failure = cause === undefined ? undefined : (readiness.detail ?? 'Temporal unreachable');
      if (failure !== loggedFailure) {
        if (failure !== undefined) logger.warn({ cause }, `not ready: ${failure}`);
        loggedFailure = failure;
      }
      const ready = readiness.temporal && readiness.workerPolling;
      return c.json({ status: ready ? 'ready' : 'not-ready', ...readiness }, ready ? 200 : 503);
    });
};
