import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
