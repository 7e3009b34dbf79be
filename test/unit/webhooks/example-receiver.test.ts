import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReceiver, verifySignature, verifyStandardWebhook } from '../../../examples/webhook-receiver/receiver';
import { deliverOnce } from '../../../src/webhooks/delivery';
import { signBody, standardWebhookHeaders } from '../../../src/infra/request-signing';
import { serializeWebhookBody } from '../../../src/webhooks/body';

const SECRET = 'whsec_example_receiver_secret';
const body = serializeWebhookBody(
  { eventId: 'evt_7', seq: 7, type: 'step.completed', stepId: 's1', timestamp: 0, correlationId: 'c', data: null },
  { executionId: 'exec_9', definitionId: 'd' },
);
const T0 = 1_780_000_000_000;

let server: http.Server;
let url: string;
let lines: string[];
/** The receiver's clock. */
let clock: number;

const listen = async (receiver: http.Server): Promise<string> => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
};
const close = async (receiver: http.Server): Promise<void> => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
};

beforeEach(async () => {
  lines = [];
  clock = T0;
  server = createReceiver({ secret: SECRET, log: (line) => lines.push(line), now: () => clock });
  url = await listen(server);
});

afterEach(async () => {
  await close(server);
});

const post = (payload: string, headers: Record<string, string>, method = 'POST', to = url): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = http.request(to, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(payload);
  });

/** Both signatures the engine sends, made by hand (for payloads the engine would never send). */
const signed = (payload: string, eventId: string, at = T0): Record<string, string> => ({
  'x-velt-signature': signBody(SECRET, payload),
  'x-velt-event-id': eventId,
  ...standardWebhookHeaders([SECRET], eventId, Math.floor(at / 1000), payload),
});

/** A real delivery as the engine makes it, recorded on the way (a loopback capture, as an attacker on the path would). */
const capture = async (secret: string, at: number, previousSecret?: string) => {
  let recorded: { headers: Record<string, string>; raw: string } | undefined;
  const recorder = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      recorded = { headers: req.headers as Record<string, string>, raw: Buffer.concat(chunks).toString('utf8') };
      res.writeHead(204).end();
    });
  });
  const recorderUrl = await listen(recorder);
  try {
    await deliverOnce({ url: recorderUrl, secret, previousSecret, body, eventId: 'evt_7', attempt: 0, allowPrivate: true, now: () => at });
  } finally {
    await close(recorder);
  }
  const { host: _host, connection: _connection, ...headers } = recorded!.headers;
  return { headers, raw: recorded!.raw };
};

describe('examples/webhook-receiver', () => {
  it('accepts a real delivery, then acknowledges its retry as a duplicate', async () => {
    const first = await deliverOnce({ url, secret: SECRET, body, eventId: 'evt_7', attempt: 0, allowPrivate: true, now: () => T0 });
    const retry = await deliverOnce({ url, secret: SECRET, body, eventId: 'evt_7', attempt: 1, allowPrivate: true, now: () => T0 + 2_000 });
    expect(first).toEqual({ ok: true, status: 200 });
    expect(retry).toEqual({ ok: true, status: 200 });
    expect(lines).toEqual(['step.completed 7 exec_9', 'duplicate evt_7 (attempt 1), ignored']);
  });

  it('answers 401 to a wrong key or a tampered body', async () => {
    const wrongKey = await deliverOnce({
      url,
      secret: 'not-the-right-secret',
      body,
      eventId: 'e',
      attempt: 0,
      allowPrivate: true,
      now: () => T0,
    });
    expect(wrongKey).toMatchObject({ ok: false, reason: 'http-status', status: 401 });
    expect(await post(body.replace('"seq":7', '"seq":8'), signed(body, 'e2'))).toBe(401);
    expect(await post(body, { 'x-velt-event-id': 'e3' })).toBe(401);
    expect(lines).toEqual([]);
  });

  it('answers 400 to signed non-JSON and 405 to other methods, and keeps running', async () => {
    expect(await post('not json', signed('not json', 'e4'))).toBe(400);
    expect(await post('', {}, 'GET')).toBe(405);
    const after = await deliverOnce({ url, secret: SECRET, body, eventId: 'evt_8', attempt: 0, allowPrivate: true, now: () => T0 });
    expect(after).toEqual({ ok: true, status: 200 });
  });

  it('refuses a captured delivery replayed more than five minutes later, which it accepted when fresh', async () => {
    const captured = await capture(SECRET, T0);
    clock = T0 + 5 * 60_000 + 1_000;
    expect(await post(captured.raw, captured.headers)).toBe(401);
    clock = T0 - 5 * 60_000 - 1_000;
    expect(await post(captured.raw, captured.headers)).toBe(401);
    clock = T0 + 4 * 60_000;
    expect(await post(captured.raw, captured.headers)).toBe(200);
    expect(lines).toEqual([
      'refused evt_7: webhook-signature does not verify or webhook-timestamp is not within 5 minutes',
      'refused evt_7: webhook-signature does not verify or webhook-timestamp is not within 5 minutes',
      'step.completed 7 exec_9',
    ]);
  });

  it('refuses a replay that carries a fresh timestamp, or that drops the Standard Webhooks headers', async () => {
    const captured = await capture(SECRET, T0);
    clock = T0 + 60 * 60_000;
    const refreshed = { ...captured.headers, 'webhook-timestamp': String(Math.floor(clock / 1000)) };
    expect(await post(captured.raw, refreshed)).toBe(401);
    const { 'webhook-id': _id, 'webhook-timestamp': _ts, 'webhook-signature': _sig, ...veltOnly } = captured.headers;
    expect(await post(captured.raw, veltOnly)).toBe(401);
    expect(lines.every((line) => line.startsWith('refused'))).toBe(true);
  });

  it('accepts a real delivery that comes five minutes late (clock skew and retries within the window)', async () => {
    clock = T0 + 5 * 60_000;
    expect(await deliverOnce({ url, secret: SECRET, body, eventId: 'evt_7', attempt: 3, allowPrivate: true, now: () => T0 })).toEqual({
      ok: true,
      status: 200,
    });
  });

  it('refuses a real delivery stamped more than five minutes off its clock', async () => {
    const late = await deliverOnce({
      url,
      secret: SECRET,
      body,
      eventId: 'evt_7',
      attempt: 0,
      allowPrivate: true,
      now: () => T0 - 10 * 60_000,
    });
    expect(late).toMatchObject({ ok: false, reason: 'http-status', status: 401 });
  });

  it('rotates on the receiver side: the previous secret still verifies runs dispatched before, both headers', async () => {
    const next = 'whsec_the_next_secret_value';
    const moved = createReceiver({ secret: next, previousSecret: SECRET, log: (line) => lines.push(line), now: () => T0 });
    const movedUrl = await listen(moved);
    const deliver = (secret: string, eventId: string) =>
      deliverOnce({ url: movedUrl, secret, body, eventId, attempt: 0, allowPrivate: true, now: () => T0 });
    try {
      expect(await deliver(SECRET, 'evt_old_run')).toEqual({ ok: true, status: 200 });
      expect(await deliver(next, 'evt_new_run')).toEqual({ ok: true, status: 200 });
      expect(await deliver('whsec_neither_of_them_0', 'evt_x')).toMatchObject({ ok: false, status: 401 });
    } finally {
      await close(moved);
    }
  });

  it('verifies webhook-signature with either secret of a run dispatched with webhookPreviousSecret', async () => {
    const next = 'whsec_the_next_secret_value';
    const captured = await capture(next, T0, SECRET);
    const standard = {
      id: captured.headers['webhook-id'],
      timestamp: captured.headers['webhook-timestamp'],
      signature: captured.headers['webhook-signature'],
    };
    const raw = Buffer.from(captured.raw, 'utf8');
    expect(verifyStandardWebhook([SECRET], standard, raw, T0 / 1000)).toBe(true);
    expect(verifyStandardWebhook([next], standard, raw, T0 / 1000)).toBe(true);
    expect(verifyStandardWebhook(['whsec_neither_of_them_0'], standard, raw, T0 / 1000)).toBe(false);
    // x-velt-signature carries the current secret only: the example, which checks both headers, needs it.
    expect(verifySignature(next, raw, captured.headers['x-velt-signature'])).toBe(true);
    expect(verifySignature(SECRET, raw, captured.headers['x-velt-signature'])).toBe(false);
    expect(await post(captured.raw, captured.headers)).toBe(401);
  });
});
