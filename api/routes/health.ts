import { Hono } from 'hono';
import type { Readiness } from '../../src/infra/temporal/readiness';

export const healthRoutes = (checkReadiness: () => Promise<Readiness>): Hono =>
  new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      const readiness = await checkReadiness();
      const ready = readiness.temporal && readiness.workerPolling;
      return c.json({ status: ready ? 'ready' : 'not-ready', ...readiness }, ready ? 200 : 503);
    });
