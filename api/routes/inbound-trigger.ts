import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../../src/infra/logger';
import type { TriggerDelivery } from '../../src/infra/inbound/trigger-delivery';
import { toEngineError } from '../error-mapper';
import { HTTP_STATUS } from '../http-status';

export const INBOUND_TRIGGER_MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /v2/workflow/webhook-inbound/trigger` (docs/inbound.md, "Inbound triggers"): raw JSON from
 * GitHub, Vercel or any sender, authenticated by the trigger's own secret, so it is mounted before
 * the `/v2` token middleware and the `{ data }` reader, and answers in its own `{ ok, code }` shape.
 */
export const inboundTriggerRoutes = (delivery: TriggerDelivery, logger: Logger): Hono => {
  const routes = new Hono();
  routes.post(
    '/trigger',
    bodyLimit({
      maxSize: INBOUND_TRIGGER_MAX_BODY_BYTES,
      onError: (c) => {
        // The rest of the body is never read, so the connection cannot be reused.
        c.header('Connection', 'close');
        return c.json({ ok: false, code: 'body-too-large', message: 'the body exceeds the 1 MiB limit' }, 413);
      },
    }),
    async (c) => {
      try {
        const answer = await delivery.deliver({
          body: new Uint8Array(await c.req.arrayBuffer()),
          header: (name) => c.req.header(name),
          query: (name) => c.req.query(name),
        });
        if (answer.retryAfterSeconds !== undefined) c.header('Retry-After', String(answer.retryAfterSeconds));
        return c.json(answer.body, answer.status);
      } catch (error) {
        const engineError = toEngineError(error);
        if (engineError.status === 'INTERNAL') logger.error({ err: error, path: c.req.path }, 'inbound trigger failed');
        const code = engineError.status.toLowerCase().replaceAll('_', '-');
        return c.json({ ok: false, code, message: engineError.message }, HTTP_STATUS[engineError.status]);
      }
    },
  );
  return routes;
};
