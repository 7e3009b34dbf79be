import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReceiver } from '../../../examples/webhook-receiver/receiver';
import { deliverOnce } from '../../../src/webhooks/delivery';
import { signBody } from '../../../src/infra/request-signing';
import { serializeWebhookBody } from '../../../src/webhooks/body';

const SECRET = 'whsec_example_receiver_secret';
const body = serializeWebhookBody(
  { eventId: 'evt_7', seq: 7, type: 'step.completed', stepId: 's1', timestamp: 0, correlationId: 'c', data: null },
  { executionId: 'exec_9', definitionId: 'd' },
);

let server: http.Server;
let url: string;
let lines: string[];

beforeEach(async () => {
  lines = [];
  server = createReceiver({ secret: SECRET, log: (line) => lines.push(line) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (payload: string, headers: Record<string, string>, method = 'POST'): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(payload);
  });

describe('examples/webhook-receiver', () => {
  it('accepts a real delivery, then acknowledges its retry as a duplicate', async () => {
    const first = await deliverOnce({ url, secret: SECRET, body, eventId: 'evt_7', attempt: 0, allowPrivate: true });
    const retry = await deliverOnce({ url, secret: SECRET, body, eventId: 'evt_7', attempt: 1, allowPrivate: true });
    expect(first).toEqual({ ok: true, status: 200 });
    expect(retry).toEqual({ ok: true, status: 200 });
    expect(lines).toEqual(['step.completed 7 exec_9', 'duplicate evt_7 (attempt 1), ignored']);
  });

  it('answers 401 to a wrong key or a tampered body', async () => {
    const wrongKey = await deliverOnce({ url, secret: 'not-the-right-secret', body, eventId: 'e', attempt: 0, allowPrivate: true });
    expect(wrongKey).toMatchObject({ ok: false, reason: 'http-status', status: 401 });
    const tampered = await post(body.replace('"seq":7', '"seq":8'), {
      'x-velt-signature': signBody(SECRET, body),
      'x-velt-event-id': 'e2',
    });
    expect(tampered).toBe(401);
    expect(await post(body, { 'x-velt-event-id': 'e3' })).toBe(401);
    expect(lines).toEqual([]);
  });

  it('answers 400 to signed non-JSON and 405 to other methods, and keeps running', async () => {
    expect(await post('not json', { 'x-velt-signature': signBody(SECRET, 'not json'), 'x-velt-event-id': 'e4' })).toBe(400);
    expect(await post('', {}, 'GET')).toBe(405);
    const after = await deliverOnce({ url, secret: SECRET, body, eventId: 'evt_8', attempt: 0, allowPrivate: true });
    expect(after).toEqual({ ok: true, status: 200 });
  });
});
