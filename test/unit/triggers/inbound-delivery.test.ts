import { describe, expect, it } from 'vitest';
import type { InboundWebhookTrigger } from '../../../src/core/definition/schema/trigger';
import {
  deliveredPayload,
  eventAllowed,
  eventName,
  sourceEventId,
  triggerContextOf,
  valueAtPath,
} from '../../../src/core/triggers/inbound-delivery';
import { deliveryIdempotencyKey } from '../../../src/infra/inbound/trigger-delivery';

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name.toLowerCase()];

const config = (extra: Partial<InboundWebhookTrigger>): InboundWebhookTrigger => ({ authMode: 'hmac', ...extra });

describe('event names', () => {
  it('come from where each provider puts them', () => {
    expect(eventName(config({}), headers({}), { type: 'doc.published' })).toBe('doc.published');
    expect(eventName(config({}), headers({}), { payload: { type: 'from-payload' } })).toBe('from-payload');
    expect(eventName(config({ provider: 'github' }), headers({ 'x-github-event': 'push' }), { type: 'ignored' })).toBe('push');
    expect(eventName(config({ provider: 'vercel' }), headers({ 'x-vercel-deployment-event': 'deployment.succeeded' }), {})).toBe(
      'deployment.succeeded',
    );
    expect(eventName(config({ provider: 'vercel' }), headers({}), { type: 'deployment.created' })).toBe('deployment.created');
    expect(eventName(config({ provider: 'custom', eventNameHeader: 'X-Kind' }), headers({ 'x-kind': 'build' }), {})).toBe('build');
    expect(eventName(config({ provider: 'custom' }), headers({ 'x-kind': 'build' }), { type: 'x' })).toBeUndefined();
  });

  it('are filtered fail-closed', () => {
    const gated = config({ allowedEvents: ['push'] });
    expect(eventAllowed(gated, 'push')).toBe(true);
    expect(eventAllowed(gated, 'pull_request')).toBe(false);
    expect(eventAllowed(gated, undefined)).toBe(false);
    expect(eventAllowed(config({}), undefined)).toBe(true);
  });
});

describe('source event ids', () => {
  it('come from the header first, then the body path', () => {
    const both = config({ idempotencyHeader: 'x-github-delivery', idempotencyBodyPath: 'event.id' });
    expect(sourceEventId(both, headers({ 'x-github-delivery': 'abc-1' }), { event: { id: 'body-1' } })).toBe('abc-1');
    expect(sourceEventId(both, headers({}), { event: { id: 'body-1' } })).toBe('body-1');
    expect(sourceEventId(both, headers({}), { event: { id: 77 } })).toBe('77');
    expect(sourceEventId(both, headers({}), { event: {} })).toBeUndefined();
    expect(sourceEventId(config({}), headers({ 'x-github-delivery': 'abc-1' }), {})).toBeUndefined();
  });

  it('never follow inherited keys', () => {
    expect(valueAtPath({}, 'constructor.name')).toBeUndefined();
    expect(valueAtPath({ a: [{ b: 1 }] }, 'a.0.b')).toBe(1);
  });

  it('make a valid idempotency key, hashed when the readable one is not', () => {
    expect(deliveryIdempotencyKey('ci-review', 'gh', 'd2f1-77')).toBe('trig:ci-review:gh:d2f1-77');
    const hashed = deliveryIdempotencyKey('ci-review', 'gh', 'has spaces/and slashes');
    expect(hashed).toMatch(/^trig:ci-review:sha256-[0-9a-f]{64}$/);
    expect(deliveryIdempotencyKey('ci-review', 'gh', 'x'.repeat(300))).toMatch(/^[A-Za-z0-9:_\-.]{1,200}$/);
    expect(deliveryIdempotencyKey('ci-review', 'gh', 'has spaces/and slashes')).toBe(hashed);
  });
});

describe('payloads', () => {
  it('are the velt payload or the whole body, wrapped on request', () => {
    expect(deliveredPayload(config({}), { definitionId: 'd', triggerId: 't', payload: { a: 1 } })).toEqual({ a: 1 });
    expect(deliveredPayload(config({}), { definitionId: 'd', triggerId: 't' })).toEqual({});
    expect(deliveredPayload(config({}), { payload: [1] })).toBeNull();
    expect(deliveredPayload(config({ provider: 'github' }), { action: 'x' })).toEqual({ action: 'x' });
    expect(triggerContextOf(config({ payloadMapping: 'wrap' }), { a: 1 })).toEqual({ source: { a: 1 } });
    expect(triggerContextOf(config({}), { a: 1 })).toEqual({ a: 1 });
  });
});
