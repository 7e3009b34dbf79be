import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  signBody,
  signStandardWebhook,
  standardWebhookHeaders,
  verifySignature,
  verifyStandardWebhook,
} from '../../../src/infra/request-signing';

const secret = 'whsec_test_0123456789';
const body = '{"event":"step.completed","seq":7,"data":{"note":"héllo ✓"}}';
const expectedHex = createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex');

describe('signBody', () => {
  it('is sha256=<lowercase hex HMAC-SHA256 over the raw bytes>', () => {
    expect(signBody(secret, body)).toBe(`sha256=${expectedHex}`);
    expect(signBody(secret, body)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('matches a fixed known answer', () => {
    // HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog")
    expect(signBody('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('signs a string and its UTF-8 bytes identically', () => {
    expect(signBody(secret, Buffer.from(body, 'utf8'))).toBe(signBody(secret, body));
  });
});

describe('verifySignature', () => {
  const good = `sha256=${expectedHex}`;
  it.each([
    ['the correct header', good, body, secret, true],
    ['uppercase hex', `sha256=${expectedHex.toUpperCase()}`, body, secret, true],
    ['a tampered body', good, body.replace('7', '8'), secret, false],
    ['a trailing space in the body', good, `${body} `, secret, false],
    ['the wrong secret', good, body, 'other-secret', false],
    ['one flipped hex digit', `sha256=${expectedHex.slice(0, -1)}${expectedHex.endsWith('0') ? '1' : '0'}`, body, secret, false],
    ['a truncated digest', `sha256=${expectedHex.slice(0, 62)}`, body, secret, false],
    ['an over-long digest', `sha256=${expectedHex}00`, body, secret, false],
    ['the sha1 scheme', `sha1=${expectedHex}`, body, secret, false],
    ['an uppercase scheme', `SHA256=${expectedHex}`, body, secret, false],
    ['no scheme', expectedHex, body, secret, false],
    ['non-hex digest', `sha256=${'z'.repeat(64)}`, body, secret, false],
    ['an empty header', '', body, secret, false],
    ['a missing header', undefined, body, secret, false],
  ])('%s → %s', (_name, header, rawBody, key, ok) => {
    expect(verifySignature(key, rawBody, header)).toBe(ok);
  });
});

describe('Standard Webhooks signatures', () => {
  const id = 'evt_exec_1_7';
  const ts = 1_780_000_000;
  const mac = (key: string, timestamp: number | string = ts) =>
    createHmac('sha256', Buffer.from(key, 'utf8')).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64');

  it('is v1,<base64 HMAC-SHA256 over "id.timestamp.body"> keyed with the UTF-8 bytes of the secret', () => {
    expect(signStandardWebhook(secret, id, ts, body)).toBe(`v1,${mac(secret)}`);
    expect(signStandardWebhook('clé-secrète-✓-0123456789', id, ts, body)).toBe(`v1,${mac('clé-secrète-✓-0123456789')}`);
  });

  it('sends the id, the timestamp and one signature per secret, the current one first', () => {
    expect(standardWebhookHeaders([secret, 'previous-secret-0123'], id, ts, body)).toEqual({
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': `v1,${mac(secret)} v1,${mac('previous-secret-0123')}`,
    });
    expect(standardWebhookHeaders([secret, secret], id, ts, body)['webhook-signature']).toBe(`v1,${mac(secret)}`);
  });

  const headers = (overrides: Partial<{ id: string; timestamp: string; signature: string }> = {}) => ({
    id,
    timestamp: String(ts),
    signature: `v1,${mac(secret)}`,
    ...overrides,
  });

  it.each([
    ['the correct headers, same second', headers(), body, [secret], ts, true],
    ['five minutes late', headers(), body, [secret], ts + 300, true],
    ['five minutes early', headers(), body, [secret], ts - 300, true],
    ['one second past five minutes late (a replay)', headers(), body, [secret], ts + 301, false],
    ['one second past five minutes early', headers(), body, [secret], ts - 301, false],
    [
      'a second signature that matches',
      headers({ signature: `v1,${mac('other-secret-0123')} v1,${mac(secret)}` }),
      body,
      [secret],
      ts,
      true,
    ],
    [
      'the previous secret during a rotation',
      headers({ signature: `v1,${mac('next-secret-01234')} v1,${mac(secret)}` }),
      body,
      ['mine-is-old-only', secret],
      ts,
      true,
    ],
    ['a tampered body', headers(), body.replace('7', '8'), [secret], ts, false],
    ['another event id', headers({ id: 'evt_exec_1_8' }), body, [secret], ts, false],
    ['a fresh timestamp on an old signature', headers({ timestamp: String(ts + 600) }), body, [secret], ts + 600, false],
    ['the wrong secret', headers(), body, ['not-the-secret-0123'], ts, false],
    ['an unknown version', headers({ signature: `v2,${mac(secret)}` }), body, [secret], ts, false],
    ['a truncated signature', headers({ signature: `v1,${mac(secret).slice(0, 20)}` }), body, [secret], ts, false],
    ['a timestamp that is not a number', headers({ timestamp: '17800e5' }), body, [secret], ts, false],
    ['no signature', headers({ signature: '' }), body, [secret], ts, false],
    ['no id', headers({ id: '' }), body, [secret], ts, false],
  ])('verifies %s → %s', (_name, given, rawBody, secrets, now, ok) => {
    expect(verifyStandardWebhook(secrets, given, rawBody, now)).toBe(ok);
  });
});
