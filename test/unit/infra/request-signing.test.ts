import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '../../../src/infra/request-signing';

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
