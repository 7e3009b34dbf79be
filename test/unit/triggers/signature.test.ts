import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InboundWebhookTrigger } from '../../../src/core/definition/schema/trigger';
import { PROVIDER_PRESETS, sign, signatureScheme, verifyBearer, verifyHmac } from '../../../src/infra/inbound/signature';

const secret = 'inbound-secret-0123456789';
const body = Buffer.from('{"action":"completed","workflow_run":{"id":42,"name":"ci ✓"}}', 'utf8');
const hex = (algorithm: 'sha1' | 'sha256', key = secret) => createHmac(algorithm, key).update(body).digest('hex');

const config = (extra: Partial<InboundWebhookTrigger>): InboundWebhookTrigger => ({ authMode: 'hmac', ...extra });

describe('provider presets', () => {
  it('resolve header, algorithm and prefix as each provider signs', () => {
    expect(signatureScheme(config({}))).toEqual({ header: 'x-velt-signature', algorithm: 'sha256', prefix: 'sha256=' });
    expect(signatureScheme(config({ provider: 'github' }))).toEqual({
      header: 'x-hub-signature-256',
      algorithm: 'sha256',
      prefix: 'sha256=',
    });
    expect(signatureScheme(config({ provider: 'vercel' }))).toEqual({ header: 'x-vercel-signature', algorithm: 'sha1', prefix: '' });
    expect(
      signatureScheme(config({ provider: 'custom', signatureHeader: 'X-Acme-Sig', signatureAlgorithm: 'sha1', signaturePrefix: 'v1=' })),
    ).toEqual({ header: 'x-acme-sig', algorithm: 'sha1', prefix: 'v1=' });
  });

  it("accept GitHub's x-hub-signature-256 (a known answer) and Vercel's bare sha1 hex", () => {
    // HMAC-SHA256(key="It's a Secret to Everybody", "Hello, World!") from GitHub's webhook docs.
    const github = signatureScheme(config({ provider: 'github' }));
    expect(sign(github, "It's a Secret to Everybody", Buffer.from('Hello, World!'))).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
    expect(verifyHmac(github, secret, body, `sha256=${hex('sha256')}`)).toBe(true);
    expect(verifyHmac(PROVIDER_PRESETS.vercel, secret, body, hex('sha1'))).toBe(true);
  });

  it.each([
    ['the velt preset', PROVIDER_PRESETS.velt, `sha256=${hex('sha256')}`, true],
    ['uppercase hex', PROVIDER_PRESETS.velt, `sha256=${hex('sha256').toUpperCase()}`, true],
    ['surrounding whitespace', PROVIDER_PRESETS.github, ` sha256=${hex('sha256')} `, true],
    ['the prefix missing', PROVIDER_PRESETS.github, hex('sha256'), false],
    ['a prefix on vercel', PROVIDER_PRESETS.vercel, `sha1=${hex('sha1')}`, false],
    ['the wrong algorithm', PROVIDER_PRESETS.vercel, hex('sha256'), false],
    ['the wrong secret', PROVIDER_PRESETS.github, `sha256=${hex('sha256', 'another-secret-0123456')}`, false],
    ['a truncated digest', PROVIDER_PRESETS.github, `sha256=${hex('sha256').slice(0, 60)}`, false],
    ['an over-long digest', PROVIDER_PRESETS.github, `sha256=${hex('sha256')}00`, false],
    ['an empty header', PROVIDER_PRESETS.github, '', false],
    ['no header', PROVIDER_PRESETS.github, undefined, false],
  ])('%s', (_label, scheme, presented, expected) => {
    expect(verifyHmac(scheme, secret, body, presented)).toBe(expected);
  });

  it('refuse a signature over a different body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('42', '43'), 'utf8');
    expect(verifyHmac(PROVIDER_PRESETS.github, secret, tampered, `sha256=${hex('sha256')}`)).toBe(false);
  });
});

describe('bearer', () => {
  it.each([
    [`Bearer ${secret}`, true],
    [`bearer ${secret}`, true],
    [`Bearer ${secret}x`, false],
    [`Bearer ${secret.slice(1)}`, false],
    [secret, false],
    ['Bearer ', false],
    [undefined, false],
  ])('%s', (authorization, expected) => {
    expect(verifyBearer(secret, authorization)).toBe(expected);
  });
});
