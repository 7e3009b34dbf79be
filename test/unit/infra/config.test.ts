import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicUrlOf } from '../../../src/infra/config';
import { reviewerLinksFromConfig } from '../../../src/infra/ui/reviewer-links';
import { temporalConnectionOptions } from '../../../src/infra/temporal/connection-config';
import { makeCertificates } from '../../support/test-certificates';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'approval-engine',
      PORT: 8080,
      WEBHOOK_ALLOW_PRIVATE_TARGETS: false,
    });
  });

  it('leaves the rate limit off and waits 10 s for a worker unless told otherwise', () => {
    expect(loadConfig({})).toMatchObject({ APPROVAL_RATE_LIMIT_PER_MINUTE: 0, APPROVAL_WORKER_WAIT_MS: 10_000 });
    expect(
      loadConfig({ APPROVAL_RATE_LIMIT_PER_MINUTE: '600', APPROVAL_RATE_LIMIT_BURST: '50', APPROVAL_WORKER_WAIT_MS: '2000' }),
    ).toMatchObject({
      APPROVAL_RATE_LIMIT_PER_MINUTE: 600,
      APPROVAL_RATE_LIMIT_BURST: 50,
      APPROVAL_WORKER_WAIT_MS: 2000,
    });
    expect(() => loadConfig({ APPROVAL_RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/APPROVAL_RATE_LIMIT_PER_MINUTE="lots"/);
    expect(() => loadConfig({ APPROVAL_WORKER_WAIT_MS: '5' })).toThrow(/APPROVAL_WORKER_WAIT_MS="5"/);
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'approvals',
      TEMPORAL_TASK_QUEUE: 'q',
      PORT: '9000',
      APPROVAL_API_KEY: 'k',
      APPROVAL_AUTH_TOKEN: 'a-token-of-at-least-32-characters',
      APPROVAL_WORKSPACES_FILE: '/etc/ws.json',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    expect(config).toMatchObject({ PORT: 9000, TEMPORAL_NAMESPACE: 'approvals', WEBHOOK_ALLOW_PRIVATE_TARGETS: true });
  });

  it('mints reviewer links only when switched on, at APPROVAL_PUBLIC_URL or the same default as webhook-node callbacks', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(reviewerLinksFromConfig(loadConfig({ APPROVAL_SECRETS_KEY: key, APPROVAL_PUBLIC_URL: 'https://approvals.example.com' }))).toBe(
      undefined,
    );
    const onDefault = loadConfig({ APPROVAL_SECRETS_KEY: key, APPROVAL_REVIEWER_LINKS: 'true', PORT: '9000' });
    expect(publicUrlOf(onDefault)).toBe('http://localhost:9000');
    const address = { workspaceId: 'ws', executionId: 'e', stepId: 's', reviewerId: 'r' };
    expect(reviewerLinksFromConfig(onDefault)?.mint(address, 0).url).toMatch(/^http:\/\/localhost:9000\/ui\/review\//);
    const onPublic = loadConfig({
      APPROVAL_SECRETS_KEY: key,
      APPROVAL_REVIEWER_LINKS: '1',
      APPROVAL_PUBLIC_URL: 'https://approvals.example.com',
    });
    expect(reviewerLinksFromConfig(onPublic)?.mint(address, 0).url).toMatch(/^https:\/\/approvals\.example\.com\/ui\/review\//);
    expect(() => loadConfig({ APPROVAL_REVIEWER_LINKS: 'true' })).toThrow('APPROVAL_REVIEWER_LINKS');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT="eighty"'],
    [{ PORT: '70000' }, 'PORT="70000"'],
    [{ TEMPORAL_ADDRESS: 'no-port' }, 'TEMPORAL_ADDRESS="no-port"'],
    [{ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE_TARGETS="yes"'],
    [{ APPROVAL_API_KEY: 'only-key' }, 'APPROVAL_AUTH_TOKEN'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud"'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT="xml"'],
  ])('rejects %j naming the variable', (env, named) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(named);
  });

  it.each([
    [
      { APPROVAL_SECRETS_KEY: 'not-32-bytes-but-still-a-secret' },
      'APPROVAL_SECRETS_KEY=(secret, not shown): must be 32 bytes, base64-encoded',
    ],
    [
      { APPROVAL_API_KEY: 'k', APPROVAL_AUTH_TOKEN: 'a-31-character-token-0123456789' },
      'APPROVAL_AUTH_TOKEN=(secret, not shown): must be at least 32 characters',
    ],
  ])('rejects %j without printing the secret', (env, message) => {
    const secret = Object.values(env).at(-1)!;
    expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig(env)).not.toThrow(secret);
  });
});

describe('loadConfig: the Temporal connection (TLS, mTLS, API key)', () => {
  let pki: Awaited<ReturnType<typeof makeCertificates>>;
  let other: Awaited<ReturnType<typeof makeCertificates>>;
  beforeAll(async () => {
    [pki, other] = await Promise.all([makeCertificates(), makeCertificates()]);
  });
  afterAll(() => {
    pki?.remove();
    other?.remove();
  });

  it('accepts a CA, a client certificate with its key, a server name and an API key', () => {
    const config = loadConfig({
      TEMPORAL_TLS_CA: pki.files.ca,
      TEMPORAL_TLS_CERT: pki.files.clientCert,
      TEMPORAL_TLS_KEY: pki.files.clientKey,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      TEMPORAL_API_KEY: 'eyJhbGciOi.key-from-cloud',
    });
    const options = temporalConnectionOptions(config);
    expect(options.apiKey).toBe('eyJhbGciOi.key-from-cloud');
    expect(options.tls?.serverNameOverride).toBe('temporal.internal');
    expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toBe(readFileSync(pki.files.ca, 'utf8'));
    expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toBe(readFileSync(pki.files.clientKey, 'utf8'));
  });

  it('connects in plaintext with no TLS setting, and with TLS against the system CAs given only an API key', () => {
    expect(temporalConnectionOptions(loadConfig({}))).toEqual({ address: '127.0.0.1:7233' });
    expect(temporalConnectionOptions(loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }))).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      apiKey: 'k',
      tls: {},
    });
  });

  it.each([
    [() => ({ TEMPORAL_TLS_CA: '/nonexistent/ca.pem' }), 'TEMPORAL_TLS_CA="/nonexistent/ca.pem": cannot read /nonexistent/ca.pem: ENOENT'],
    [() => ({ TEMPORAL_TLS_CA: pki.files.clientKey }), 'does not hold a PEM certificate'],
    [
      () => ({ TEMPORAL_TLS_CERT: pki.files.clientCert }),
      'TEMPORAL_TLS_KEY="": TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together',
    ],
    [
      () => ({ TEMPORAL_TLS_KEY: pki.files.clientKey }),
      'TEMPORAL_TLS_CERT="": TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together',
    ],
    [() => ({ TEMPORAL_TLS_CERT: pki.files.clientCert, TEMPORAL_TLS_KEY: pki.files.ca }), 'does not hold a PEM private key'],
    [
      () => ({ TEMPORAL_TLS_CERT: pki.files.clientCert, TEMPORAL_TLS_KEY: other.files.clientKey }),
      'is not the private key of the certificate in',
    ],
    [() => ({ TEMPORAL_TLS_SERVER_NAME: 'bad name' }), 'TEMPORAL_TLS_SERVER_NAME="bad name": must be a host name'],
    [() => ({ TEMPORAL_API_KEY: 'two words' }), 'TEMPORAL_API_KEY=(secret, not shown): must be printable ASCII'],
  ])('rejects a bad connection setting, naming it (%#)', (env, named) => {
    expect(() => loadConfig(env())).toThrow(ConfigError);
    expect(() => loadConfig(env())).toThrow(named);
  });
});

describe('loadConfig: payload encryption', () => {
  const key = (fill: number): string => Buffer.alloc(32, fill).toString('base64');

  it('reads the keys in order (the first seals) with their ids', () => {
    const config = loadConfig({ APPROVAL_PAYLOAD_KEYS: `2026-05:${key(1)}, 2025-11:${key(2)}` });
    expect(config.APPROVAL_PAYLOAD_KEYS?.map((entry) => entry.id)).toEqual(['2026-05', '2025-11']);
    expect(config.APPROVAL_PAYLOAD_KEYS?.[1]?.key).toEqual(Buffer.alloc(32, 2));
  });

  it.each([
    [`no-colon${key(1)}`, 'entry 1 must start with a key id'],
    [`k1:${Buffer.alloc(16).toString('base64')}`, 'entry 1 must hold 32 bytes'],
    [`k1:${key(1)},k1:${key(2)}`, 'entry 2 repeats the key id "k1"'],
    [`has space:${key(1)}`, 'entry 1 must start with a key id'],
  ])('rejects %s without printing the key', (value, message) => {
    expect(() => loadConfig({ APPROVAL_PAYLOAD_KEYS: value })).toThrow(`APPROVAL_PAYLOAD_KEYS=(secret, not shown): ${message}`);
    expect(() => loadConfig({ APPROVAL_PAYLOAD_KEYS: value })).not.toThrow(key(1));
  });

  it('requires an operator token of at least 32 characters and origins for the codec endpoint', () => {
    expect(() => loadConfig({ APPROVAL_OPERATOR_TOKEN: 'short' })).toThrow(
      'APPROVAL_OPERATOR_TOKEN=(secret, not shown): must be at least 32',
    );
    expect(
      loadConfig({ APPROVAL_CODEC_CORS_ORIGINS: 'http://127.0.0.1:8233, https://ui.example.com' }).APPROVAL_CODEC_CORS_ORIGINS,
    ).toEqual(['http://127.0.0.1:8233', 'https://ui.example.com']);
    expect(() => loadConfig({ APPROVAL_CODEC_CORS_ORIGINS: 'https://ui.example.com/path' })).toThrow(
      'APPROVAL_CODEC_CORS_ORIGINS="https://ui.example.com/path": "https://ui.example.com/path" is not an origin',
    );
  });
});
