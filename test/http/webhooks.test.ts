import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver } from '../../examples/webhook-receiver/receiver';
import { verifySignature, verifyStandardWebhook } from '../../src/infra/request-signing';
import { walkthroughDefinition } from '../fixtures/definitions';
import { eventually, useEngine } from '../support/engine';
import { startReceiver, type Received, type TestReceiver } from '../support/receiver';

const SECRET = 'whsec_e2e_0123456789abcdef';
const engine = useEngine();
let receiver: TestReceiver;
const failedOnce = new Set<string>();

const verifies = (entry: Received): boolean => {
  const header = String(entry.headers['x-velt-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', SECRET).update(entry.rawBody).digest('hex')}`;
  return header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
};

beforeAll(async () => {
  // The first delivery of each step.completed fails, so its retry can be observed.
  receiver = await startReceiver((entry) => {
    const body = JSON.parse(entry.rawBody) as { event: string };
    const eventId = String(entry.headers['x-velt-event-id']);
    if (body.event === 'step.completed' && !failedOnce.has(eventId)) {
      failedOnce.add(eventId);
      return 500;
    }
    return 204;
  });
});
afterAll(async () => {
  await receiver?.close();
});

describe('signed webhook delivery', () => {
  it('delivers every external event, signed over the raw body, retrying with the same event id, also after the run ended', async () => {
    const api = engine.admin;
    await api.post('definitions/create', walkthroughDefinition('hooked-review'));
    const dispatched = await api.post('executions/dispatch', {
      definitionId: 'hooked-review',
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
      correlationId: 'corr_hooks',
    });
    const { executionId } = dispatched.body.result;
    const view = await api.post('executions/get', { executionId });
    const stepId = view.body.result.steps[0].stepId;
    await api.post('steps/recordReviewerDecision', { executionId, stepId, reviewerId: 'u_editor', decision: 'approve' });

    const polled = await eventually(
      () => api.post('executions/getEvents', { executionId }),
      (response) => response.body.result.events.some((event: any) => event.type === 'execution.completed'),
    );
    const external: any[] = polled.body.result.events;
    // Retries of both step.completed events arrive about 2 s after their first attempt.
    await eventually(
      () => Promise.resolve(new Set(receiver.received.map((entry) => String(entry.headers['x-velt-event-id'])))),
      (ids) => external.every((event) => ids.has(event.eventId)) && receiver.received.length >= external.length + 2,
      20_000,
    );

    expect(receiver.received.every(verifies)).toBe(true);
    const bodies = receiver.received.map((entry) => ({ entry, body: JSON.parse(entry.rawBody) }));
    const delivered = new Map(bodies.map(({ body, entry }) => [String(entry.headers['x-velt-event-id']), body]));
    expect([...delivered.keys()].sort()).toEqual(external.map((event) => event.eventId).sort());
    for (const event of external) {
      expect(delivered.get(event.eventId)).toEqual({
        event: event.type,
        executionId,
        definitionId: 'hooked-review',
        stepId: event.stepId,
        seq: event.seq,
        timestamp: new Date(event.timestamp).toISOString(),
        correlationId: 'corr_hooks',
        data: event.data,
      });
    }
    for (const eventId of failedOnce) {
      const attempts = receiver.received
        .filter((entry) => entry.headers['x-velt-event-id'] === eventId)
        .map((entry) => entry.headers['x-velt-attempt']);
      expect(attempts).toEqual(['0', '1']);
    }
    expect(failedOnce.size).toBe(2);
    expect(receiver.received.every((entry) => entry.headers['content-type'] === 'application/json')).toBe(true);

    const final = await api.post('executions/get', { executionId });
    expect(final.body.result.webhookDeadLetters).toEqual([]);
    expect(JSON.stringify(final.body)).not.toContain(SECRET);
    expect(JSON.stringify(polled.body)).not.toContain(SECRET);
  });

  it.each([
    [{ webhookUrl: 'https://hooks.example.com/x' }, 'webhookUrl and webhookSecret must be provided together'],
    [{ webhookSecret: SECRET }, 'webhookUrl and webhookSecret must be provided together'],
    [{ webhookUrl: 'ftp://hooks.example.com/x', webhookSecret: SECRET }, 'webhookUrl must use https scheme'],
    [{ webhookUrl: 'https://hooks.example.com/x', webhookSecret: 'short' }, 'data.webhookSecret'],
  ])('refuses a dispatch with %j', async (webhook, message) => {
    await engine.admin.post('definitions/create', walkthroughDefinition('hook-errors'));
    const { status, body } = await engine.admin.post('executions/dispatch', { definitionId: 'hook-errors', ...webhook });
    expect(status).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain(message);
  });
});

describe('Standard Webhooks signatures, verified by the example receiver', () => {
  const NEXT = 'whsec_e2e_next_0123456789abcdef';
  const PREVIOUS = 'whsec_e2e_previous_0123456789ab';

  interface Captured {
    headers: Record<string, string>;
    raw: string;
    status: number;
  }

  /** The example receiver, and in front of it a recorder that keeps each delivery as it went over the wire. */
  const startExample = async () => {
    const lines: string[] = [];
    let clockOffsetMs = 0;
    const example = createReceiver({ secret: NEXT, log: (line) => lines.push(line), now: () => Date.now() + clockOffsetMs });
    await new Promise<void>((resolve) => example.listen(0, '127.0.0.1', resolve));
    const examplePort = (example.address() as AddressInfo).port;
    const captured: Captured[] = [];
    const send = (raw: string, headers: Record<string, string>): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: examplePort, method: 'POST', path: '/', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(raw);
      });
    const recorder = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const { host: _host, connection: _connection, ...headers } = req.headers as Record<string, string>;
        const raw = Buffer.concat(chunks).toString('utf8');
        void send(raw, headers).then((status) => {
          captured.push({ headers, raw, status });
          res.writeHead(status).end();
        });
      });
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/hooks`,
      lines,
      captured,
      send,
      setClockOffset: (ms: number) => {
        clockOffsetMs = ms;
      },
      close: async () => {
        for (const server of [recorder, example]) {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      },
    };
  };

  it('signs every delivery with webhook-id, webhook-timestamp and one signature per secret; a replay is refused', async () => {
    const example = await startExample();
    try {
      const api = engine.admin;
      await api.post('definitions/create', {
        definitionId: 'standard-webhooks',
        name: 'One agent',
        nodes: [{ nodeId: 'draft', type: 'agent', config: { agentId: '__mock__' } }],
        edges: [],
      });
      const dispatched = await api.post('executions/dispatch', {
        definitionId: 'standard-webhooks',
        webhookUrl: example.url,
        webhookSecret: NEXT,
        webhookPreviousSecret: PREVIOUS,
      });
      expect(dispatched.status).toBe(200);
      const { executionId } = dispatched.body.result;
      const polled = await eventually(
        () => api.post('executions/getEvents', { executionId }),
        (response) => response.body.result.events.some((event: any) => event.type === 'execution.completed'),
      );
      const external: any[] = polled.body.result.events;
      await eventually(
        () => Promise.resolve(example.captured.length),
        (count) => count >= external.length,
        20_000,
      );

      expect(example.captured.map((delivery) => delivery.status)).toEqual(external.map(() => 200));
      expect(example.lines.sort()).toEqual(external.map((event) => `${event.type} ${event.seq} ${executionId}`).sort());
      const nowSeconds = Date.now() / 1000;
      for (const { headers, raw } of example.captured) {
        expect(headers['webhook-id']).toBe(headers['x-velt-event-id']);
        expect(Math.abs(Number(headers['webhook-timestamp']) - nowSeconds)).toBeLessThan(300);
        const signatures = headers['webhook-signature']!.split(' ');
        expect(signatures).toHaveLength(2);
        const standard = { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'] };
        expect(verifyStandardWebhook([NEXT], standard, raw, nowSeconds)).toBe(true);
        expect(verifyStandardWebhook([PREVIOUS], standard, raw, nowSeconds)).toBe(true);
        expect(verifySignature(NEXT, raw, headers['x-velt-signature'])).toBe(true);
      }

      const replayed = example.captured[0]!;
      expect(await example.send(replayed.raw, replayed.headers)).toBe(200); // a duplicate inside the window
      example.setClockOffset(6 * 60_000);
      expect(await example.send(replayed.raw, replayed.headers)).toBe(401);
      expect(example.lines.at(-1)).toMatch(/^refused evt_/);

      const final = await api.post('executions/get', { executionId });
      expect(final.body.result.webhookDeadLetters).toEqual([]);
      expect(JSON.stringify(final.body)).not.toContain(PREVIOUS);
    } finally {
      await example.close();
    }
  });

  it.each([
    [
      { webhookPreviousSecret: 'whsec_previous_0123456789' },
      'data.webhookPreviousSecret: webhookPreviousSecret needs webhookUrl and webhookSecret',
    ],
    [{ webhookUrl: 'https://hooks.example.com/x', webhookSecret: SECRET, webhookPreviousSecret: 'short' }, 'data.webhookPreviousSecret'],
  ])('refuses a dispatch with %j', async (webhook, message) => {
    await engine.admin.post('definitions/create', walkthroughDefinition('hook-rotation-errors'));
    const { status, body } = await engine.admin.post('executions/dispatch', { definitionId: 'hook-rotation-errors', ...webhook });
    expect(status).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain(message);
  });
});
