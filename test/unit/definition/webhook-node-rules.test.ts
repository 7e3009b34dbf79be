import { describe, expect, it } from 'vitest';
import { WebhookNodeConfigSchema } from '../../../src/core/definition/schema/webhook-node-config';
import { runnableWebhookConfig } from '../../../src/core/definition/schema/webhook-node-rules';

/*
 * The plan narrows a stored webhook node config without zod (the workflow bundle stays free of it);
 * what it accepts and refuses must be what the write-time schema accepts and refuses.
 */

const URL = 'https://hooks.example.com/step';

const accepted: Record<string, unknown>[] = [
  { url: URL },
  { url: URL, mode: 'async', method: 'GET', bodyTemplate: 'none', authMode: 'none' },
  { url: URL, authMode: 'token', authTokenHeader: 'x-api-key', timeoutMs: 1000, expectedStatusCodes: [409, 422] },
  {
    url: URL,
    authMode: 'hmac',
    timeoutMs: 60_000,
    bodyTemplate: 'pass-through',
    requestHeaders: { 'x-team': 'ops', accept: 'text/plain' },
  },
];

const refused: [Record<string, unknown>, RegExp][] = [
  [{}, /^config\.url: /],
  [{ url: '' }, /^config\.url: /],
  [{ url: 7 }, /^config\.url: /],
  [{ url: 'x'.repeat(2001) }, /^config\.url: /],
  [{ url: URL, anything: 1 }, /^config\.anything: unknown field$/],
  [{ url: URL, mode: 'later' }, /^config\.mode: /],
  [{ url: URL, method: 'PUT' }, /^config\.method: /],
  [{ url: URL, authMode: 'basic' }, /^config\.authMode: /],
  [{ url: URL, authMode: 'token' }, /^config\.authTokenHeader: webhook node with authMode="token" requires authTokenHeader/],
  [{ url: URL, authMode: 'token', authTokenHeader: 'x-velt-token' }, /^config\.authTokenHeader: "x-velt-token" is a reserved header name$/],
  [{ url: URL, authTokenHeader: 'bad header' }, /^config\.authTokenHeader: /],
  [{ url: URL, timeoutMs: 999 }, /^config\.timeoutMs: /],
  [{ url: URL, timeoutMs: 1500.5 }, /^config\.timeoutMs: /],
  [{ url: URL, timeoutMs: '1000' }, /^config\.timeoutMs: /],
  [{ url: URL, expectedStatusCodes: [600] }, /^config\.expectedStatusCodes: /],
  [{ url: URL, expectedStatusCodes: Array.from({ length: 21 }, () => 200) }, /^config\.expectedStatusCodes: /],
  [{ url: URL, expectedStatusCodes: 200 }, /^config\.expectedStatusCodes: /],
  [{ url: URL, bodyTemplate: 'none' }, /^config\.bodyTemplate: bodyTemplate "none" requires method "GET"$/],
  [{ url: URL, bodyTemplate: 'xml' }, /^config\.bodyTemplate: /],
  [{ url: URL, requestHeaders: ['x'] }, /^config\.requestHeaders: /],
  [{ url: URL, requestHeaders: { 'x-a': 1 } }, /^config\.requestHeaders\.x-a: /],
  [{ url: URL, requestHeaders: { 'x-a': 'line\r\nbreak' } }, /^config\.requestHeaders\.x-a: /],
  [{ url: URL, requestHeaders: { 'x-a': 'v'.repeat(2001) } }, /^config\.requestHeaders\.x-a: /],
  [{ url: URL, requestHeaders: { 'bad name': 'v' } }, /^config\.requestHeaders\.bad name: /],
  [{ url: URL, requestHeaders: { Host: 'evil.example.com' } }, /^config\.requestHeaders\.Host: "Host" is a reserved header name/],
  [{ url: URL, requestHeaders: { 'webhook-id': 'x' } }, /^config\.requestHeaders\.webhook-id: /],
  [
    { url: URL, requestHeaders: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`x-h${i}`, 'v'])) },
    /^config\.requestHeaders: at most 50 headers$/,
  ],
];

describe('runnableWebhookConfig', () => {
  it.each(accepted)('accepts what the schema accepts: %j', (config) => {
    expect(WebhookNodeConfigSchema.safeParse(config).success).toBe(true);
    expect(runnableWebhookConfig(config)).toEqual(config);
  });

  it.each(refused)('refuses what the schema refuses, naming the field: %j', (config, message) => {
    expect(WebhookNodeConfigSchema.safeParse(config).success).toBe(false);
    expect(runnableWebhookConfig(config)).toMatch(message);
  });
});
