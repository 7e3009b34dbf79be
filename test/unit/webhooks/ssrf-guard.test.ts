import { describe, expect, it } from 'vitest';
import { checkWebhookUrlSyntax, resolveAndCheck, type LookupAll, type LookupAllAddress } from '../../../src/webhooks/delivery';

const HTTPS = 'webhookUrl must use https scheme';
const PRIVATE = 'webhookUrl host resolves to a private, loopback, or link-local address';
const CREDS = 'webhookUrl must not contain credentials';
const INVALID = 'webhookUrl: not a valid URL';

/** Injected resolver: a fixed table; unknown names fail like ENOTFOUND. */
const table: Record<string, LookupAllAddress[]> = {
  'example.com': [{ address: '93.184.216.34', family: 4 }],
  'hooks.example.com': [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
  ],
  'evil.example.com': [{ address: '10.0.0.5', family: 4 }],
  'rebind.example.com': [
    { address: '93.184.216.34', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
  'v6private.example.com': [{ address: 'fd00::1', family: 6 }],
  'mapped.example.com': [{ address: '::ffff:169.254.169.254', family: 6 }],
  'nat64.example.com': [{ address: '64:ff9b::a00:1', family: 6 }],
  'nat64-local.example.com': [{ address: '64:ff9b:1::a9fe:a9fe', family: 6 }],
  'teredo.example.com': [{ address: '2001:0:4136:e378:8000:63bf:3fff:fdd2', family: 6 }],
  'benchmark.example.com': [{ address: '198.18.0.1', family: 4 }],
  'metadata.example.com': [{ address: '169.254.169.254', family: 4 }],
  'cgnat.example.com': [{ address: '100.64.1.1', family: 4 }],
  'empty.example.com': [],
};
const calls: string[] = [];
const lookup: LookupAll = (host) => {
  calls.push(host);
  const found = table[host];
  if (found) return Promise.resolve(found);
  return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
};

type Row = [url: string, syntax: string | null, resolve: 'ok' | 'ssrf-blocked' | 'dns-failed'];

const rows: Row[] = [
  // scheme and parse
  ['http://example.com/hook', HTTPS, 'ssrf-blocked'],
  ['ftp://example.com/hook', HTTPS, 'ssrf-blocked'],
  ['not a url', INVALID, 'ssrf-blocked'],
  ['https://', INVALID, 'ssrf-blocked'],
  // credentials
  ['https://user:pw@example.com/hook', CREDS, 'ssrf-blocked'],
  ['https://user@example.com/hook', CREDS, 'ssrf-blocked'],
  // public names and ports
  ['https://example.com/hook', null, 'ok'],
  ['https://example.com:8443/', null, 'ok'],
  ['https://hooks.example.com/a?b=c', null, 'ok'],
  ['https://EXAMPLE.com./hook', null, 'ok'],
  // forbidden names
  ['https://localhost/hook', PRIVATE, 'ssrf-blocked'],
  ['https://LOCALHOST:8443/hook', PRIVATE, 'ssrf-blocked'],
  ['https://localhost./hook', PRIVATE, 'ssrf-blocked'],
  ['https://api.localhost/hook', PRIVATE, 'ssrf-blocked'],
  ['https://metadata/computeMetadata/v1', PRIVATE, 'ssrf-blocked'],
  ['https://metadata.google.internal/', PRIVATE, 'ssrf-blocked'],
  ['https://db.corp.internal/', PRIVATE, 'ssrf-blocked'],
  // IPv4 literals in every spelling WHATWG normalises
  ['https://127.0.0.1/', PRIVATE, 'ssrf-blocked'],
  ['https://127.0.0.1:8443/', PRIVATE, 'ssrf-blocked'],
  ['https://2130706433/', PRIVATE, 'ssrf-blocked'],
  ['https://0177.0.0.1/', PRIVATE, 'ssrf-blocked'],
  ['https://0x7f.1/', PRIVATE, 'ssrf-blocked'],
  ['https://127.1/', PRIVATE, 'ssrf-blocked'],
  ['https://0/', PRIVATE, 'ssrf-blocked'],
  ['https://10.1.2.3/', PRIVATE, 'ssrf-blocked'],
  ['https://172.20.0.1/', PRIVATE, 'ssrf-blocked'],
  ['https://192.168.0.10/', PRIVATE, 'ssrf-blocked'],
  ['https://169.254.169.254/latest/meta-data/', PRIVATE, 'ssrf-blocked'],
  ['https://0xa9fea9fe/', PRIVATE, 'ssrf-blocked'],
  ['https://100.64.0.1/', PRIVATE, 'ssrf-blocked'],
  ['https://224.0.0.1/', PRIVATE, 'ssrf-blocked'],
  ['https://255.255.255.255/', PRIVATE, 'ssrf-blocked'],
  ['https://8.8.8.8/', null, 'ok'],
  ['https://8.8.8.8:8443/hook', null, 'ok'],
  // IPv6 literals
  ['https://[::1]/', PRIVATE, 'ssrf-blocked'],
  ['https://[::]/', PRIVATE, 'ssrf-blocked'],
  ['https://[fe80::1]/', PRIVATE, 'ssrf-blocked'],
  ['https://[fd00::abcd]/', PRIVATE, 'ssrf-blocked'],
  ['https://[ff02::1]/', PRIVATE, 'ssrf-blocked'],
  ['https://[::ffff:127.0.0.1]/', PRIVATE, 'ssrf-blocked'],
  ['https://[::ffff:7f00:1]/', PRIVATE, 'ssrf-blocked'],
  ['https://[::ffff:192.168.1.1]:8443/', PRIVATE, 'ssrf-blocked'],
  ['https://[64:ff9b::127.0.0.1]/', PRIVATE, 'ssrf-blocked'],
  ['https://[64:ff9b::a9fe:a9fe]/', PRIVATE, 'ssrf-blocked'],
  ['https://[::ffff:8.8.8.8]/', null, 'ok'],
  ['https://[2001:4860:4860::8888]/', null, 'ok'],
  // names that pass syntax but resolve badly (only DNS can tell)
  ['https://evil.example.com/', null, 'ssrf-blocked'],
  ['https://rebind.example.com/', null, 'ssrf-blocked'],
  ['https://v6private.example.com/', null, 'ssrf-blocked'],
  ['https://mapped.example.com/', null, 'ssrf-blocked'],
  ['https://nat64.example.com/', null, 'ssrf-blocked'],
  ['https://nat64-local.example.com/', null, 'ssrf-blocked'],
  ['https://teredo.example.com/', null, 'ssrf-blocked'],
  ['https://benchmark.example.com/', null, 'ssrf-blocked'],
  ['https://[64:ff9b:1::a9fe:a9fe]/', PRIVATE, 'ssrf-blocked'],
  ['https://[fec0::1]/', PRIVATE, 'ssrf-blocked'],
  ['https://[100::1]/', PRIVATE, 'ssrf-blocked'],
  ['https://192.0.0.170/', PRIVATE, 'ssrf-blocked'],
  ['https://metadata.example.com/', null, 'ssrf-blocked'],
  ['https://cgnat.example.com/', null, 'ssrf-blocked'],
  ['https://nxdomain.example.com/', null, 'dns-failed'],
  ['https://empty.example.com/', null, 'dns-failed'],
];

describe('checkWebhookUrlSyntax', () => {
  it.each(rows)('%s → %s', (url, expected) => {
    const err = checkWebhookUrlSyntax(url);
    if (expected === null) {
      expect(err).toBeNull();
    } else {
      expect(err?.status).toBe('INVALID_ARGUMENT');
      expect(err?.message).toBe(expected);
    }
  });
});

describe('resolveAndCheck', () => {
  it.each(rows)('%s → %s / %s', async (url, _syntax, expected) => {
    const result = await resolveAndCheck(url, { allowPrivate: false, lookup });
    if (expected === 'ok') expect(result.ok).toBe(true);
    else expect(result).toMatchObject({ ok: false, reason: expected });
  });

  it('skips DNS for IP-literal hosts', async () => {
    calls.length = 0;
    expect(await resolveAndCheck('https://8.8.8.8/', { allowPrivate: false, lookup })).toEqual({
      ok: true,
      address: '8.8.8.8',
      family: 4,
    });
    expect(await resolveAndCheck('https://[2001:4860:4860::8888]/', { allowPrivate: false, lookup })).toEqual({
      ok: true,
      address: '2001:4860:4860::8888',
      family: 6,
    });
    expect(calls).toEqual([]);
  });

  it('returns the first checked address of a name', async () => {
    expect(await resolveAndCheck('https://hooks.example.com/', { allowPrivate: false, lookup })).toEqual({
      ok: true,
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('blocks a name with one public and one private address, with the documented message', async () => {
    expect(await resolveAndCheck('https://rebind.example.com/', { allowPrivate: false, lookup })).toEqual({
      ok: false,
      reason: 'ssrf-blocked',
      message: PRIVATE,
    });
  });

  it('reports a lookup failure as dns-failed, the resolver error kept for the log', async () => {
    const result = await resolveAndCheck('https://nxdomain.example.com/', { allowPrivate: false, lookup });
    expect(result).toEqual({
      ok: false,
      reason: 'dns-failed',
      message: 'webhookUrl host could not be resolved',
      detail: 'lookup nxdomain.example.com: ENOTFOUND',
    });
  });

  it('names the URL as the caller calls it', async () => {
    expect(await resolveAndCheck('http://example.com/', { allowPrivate: false, lookup, subject: 'agent a1 url' })).toEqual({
      ok: false,
      reason: 'ssrf-blocked',
      message: 'agent a1 url must use https scheme',
    });
    expect(await resolveAndCheck('https://nat64-local.example.com/', { allowPrivate: false, lookup, subject: 'agent a1 url' })).toEqual({
      ok: false,
      reason: 'ssrf-blocked',
      message: 'agent a1 url host resolves to a private, loopback, or link-local address',
    });
  });
});

describe('allowPrivate (WEBHOOK_ALLOW_PRIVATE_TARGETS)', () => {
  it.each([
    ['http://127.0.0.1:4000/hook', '127.0.0.1', 4],
    ['https://127.0.0.1/', '127.0.0.1', 4],
    ['http://[::1]:4000/', '::1', 6],
    ['https://evil.example.com/', '10.0.0.5', 4],
    ['https://rebind.example.com/', '93.184.216.34', 4],
    ['http://v6private.example.com/', 'fd00::1', 6],
  ] as const)('%s is allowed → %s', async (url, address, family) => {
    expect(checkWebhookUrlSyntax(url, { allowPrivate: true })).toBeNull();
    expect(await resolveAndCheck(url, { allowPrivate: true, lookup })).toEqual({ ok: true, address, family });
  });

  it.each([
    ['ftp://127.0.0.1/', HTTPS],
    ['http://u:p@127.0.0.1/', CREDS],
    ['::not a url', INVALID],
  ])('%s is still refused', async (url, message) => {
    expect(checkWebhookUrlSyntax(url, { allowPrivate: true })?.message).toBe(message);
    expect(await resolveAndCheck(url, { allowPrivate: true, lookup })).toEqual({
      ok: false,
      reason: 'ssrf-blocked',
      message,
    });
  });

  it('still reports DNS failures', async () => {
    expect(await resolveAndCheck('https://nxdomain.example.com/', { allowPrivate: true, lookup })).toMatchObject({
      ok: false,
      reason: 'dns-failed',
    });
  });
});
