import { describe, expect, it } from 'vitest';
import type { DeliverableEvent } from '../../../src/webhooks/contract';
import { serializeWebhookBody } from '../../../src/webhooks/body';

const meta = { executionId: 'exec_1', definitionId: 'marketing-copy-approval' };
const base: DeliverableEvent = {
  eventId: 'evt_1',
  seq: 7,
  type: 'step.awaiting-approval',
  stepId: 'step_a__to__human-legal',
  timestamp: Date.UTC(2026, 3, 28, 8, 5, 0),
  correlationId: 'corr_campaign_42',
  data: { status: 'waiting', waitingForReviewers: 1, mandatoryCount: 1 },
};

describe('serializeWebhookBody', () => {
  it('produces the documented shape and key order', () => {
    expect(serializeWebhookBody(base, meta)).toBe(
      '{"event":"step.awaiting-approval","executionId":"exec_1","definitionId":"marketing-copy-approval",' +
        '"stepId":"step_a__to__human-legal","status":"waiting","seq":7,"timestamp":"2026-04-28T08:05:00.000Z",' +
        '"correlationId":"corr_campaign_42","data":{"status":"waiting","waitingForReviewers":1,"mandatoryCount":1}}',
    );
  });

  it.each([
    ['data.status is a string', { status: 'approved' }, 'approved'],
    ['data has no status', { actorId: 'u_1' }, undefined],
    ['data.status is not a string', { status: 3 }, undefined],
    ['data is null', null, undefined],
  ] as const)('status when %s', (_name, data, status) => {
    const parsed = JSON.parse(serializeWebhookBody({ ...base, data }, meta));
    if (status === undefined) expect(parsed).not.toHaveProperty('status');
    else expect(parsed.status).toBe(status);
    expect(parsed.data).toEqual(data);
  });

  it.each([
    [0, '1970-01-01T00:00:00.000Z'],
    [1777363500123, '2026-04-28T08:05:00.123Z'],
  ])('timestamp %d is ISO-8601 %s', (timestamp, iso) => {
    expect(JSON.parse(serializeWebhookBody({ ...base, timestamp }, meta)).timestamp).toBe(iso);
  });

  it('keeps stepId null for execution events', () => {
    const parsed = JSON.parse(serializeWebhookBody({ ...base, type: 'execution.completed', stepId: null, data: null }, meta));
    expect(parsed).toMatchObject({ event: 'execution.completed', stepId: null, data: null });
  });

  it('is byte-for-byte stable across calls', () => {
    const a = serializeWebhookBody(base, meta);
    const b = serializeWebhookBody(structuredClone(base), { ...meta });
    expect(b).toBe(a);
  });
});
