import type { InboundWebhookTrigger } from '../definition/schema/trigger';

/*
 * The pure half of an inbound trigger delivery (docs/inbound.md, "Inbound triggers"): which event it
 * is, which source event id deduplicates it, and the triggerContext it gives the run.
 */

export type HeaderReader = (name: string) => string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const stringAt = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/** A dot-path (`event.id`, `items.0.id`) into a JSON value; only own keys are followed. */
export const valueAtPath = (root: unknown, path: string): unknown => {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

/** The payload a provider delivers: `payload` of a velt body, the whole body otherwise (absent → {}). */
export const deliveredPayload = (config: InboundWebhookTrigger, body: Record<string, unknown>): Record<string, unknown> | null => {
  if ((config.provider ?? 'velt') !== 'velt') return body;
  if (body.payload === undefined || body.payload === null) return {};
  return isObject(body.payload) ? body.payload : null;
};

/** The event name per provider preset; undefined when it cannot be resolved (an `allowedEvents` gate then drops it). */
export const eventName = (config: InboundWebhookTrigger, header: HeaderReader, body: Record<string, unknown>): string | undefined => {
  switch (config.provider ?? 'velt') {
    case 'velt':
      return stringAt(body.type) ?? (isObject(body.payload) ? stringAt(body.payload.type) : undefined);
    case 'github':
      return stringAt(header('x-github-event'));
    case 'vercel':
      return stringAt(header('x-vercel-deployment-event')) ?? stringAt(body.type);
    case 'custom':
      return config.eventNameHeader ? stringAt(header(config.eventNameHeader)) : undefined;
  }
};

/** Fail-closed: with `allowedEvents`, an event that is not listed, or has no name, is ignored. */
export const eventAllowed = (config: InboundWebhookTrigger, name: string | undefined): boolean =>
  config.allowedEvents === undefined || (name !== undefined && config.allowedEvents.includes(name));

/** The source event id (`idempotencyHeader`, else `idempotencyBodyPath`), or undefined. */
export const sourceEventId = (config: InboundWebhookTrigger, header: HeaderReader, body: Record<string, unknown>): string | undefined => {
  if (config.idempotencyHeader) {
    const value = header(config.idempotencyHeader)?.trim();
    if (value) return value;
  }
  if (config.idempotencyBodyPath) {
    const value = valueAtPath(body, config.idempotencyBodyPath);
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
};

export const triggerContextOf = (config: InboundWebhookTrigger, payload: Record<string, unknown>): Record<string, unknown> =>
  config.payloadMapping === 'wrap' ? { source: payload } : payload;
