import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { invalidArgument, type EngineError } from '../../core/errors';
import { isForbiddenAddress } from './ip-ranges';

export interface LookupAllAddress {
  address: string;
  family: number;
}

/** `dns.promises.lookup(host, { all: true })`, injectable for tests. */
export type LookupAll = (hostname: string, options: { all: true }) => Promise<LookupAllAddress[]>;

export interface SsrfOptions {
  /** `WEBHOOK_ALLOW_PRIVATE_TARGETS=true`: lifts the https and private-address rules (dev/tests only). */
  allowPrivate: boolean;
  lookup?: LookupAll;
}

export type ResolveResult =
  { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: 'ssrf-blocked' | 'dns-failed'; message: string };

export const MSG_INVALID_URL = 'webhookUrl: not a valid URL';
export const MSG_HTTPS = 'webhookUrl must use https scheme';
export const MSG_PRIVATE = 'webhookUrl host resolves to a private, loopback, or link-local address';
export const MSG_CREDENTIALS = 'webhookUrl must not contain credentials';

const FORBIDDEN_NAMES = new Set(['localhost', 'metadata', 'metadata.google.internal']);

/** Host name as used for checks and connection: lowercase, no brackets, no trailing dot. */
export const bareHost = (url: URL): string => {
  let host = url.hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  while (host.endsWith('.')) host = host.slice(0, -1);
  return host;
};

const isForbiddenName = (host: string): boolean => FORBIDDEN_NAMES.has(host) || host.endsWith('.localhost') || host.endsWith('.internal');

/**
 * Dispatch-time check of a `webhookUrl` (spec §6.7). Needs no DNS. Returns an INVALID_ARGUMENT
 * error, or null when the URL is acceptable. With `allowPrivate` only parse and credential rules apply.
 */
export const checkWebhookUrlSyntax = (url: string, opts?: { allowPrivate?: boolean }): EngineError | null => {
  const allowPrivate = opts?.allowPrivate === true;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalidArgument(MSG_INVALID_URL);
  }
  const schemeOk = parsed.protocol === 'https:' || (allowPrivate && parsed.protocol === 'http:');
  if (!schemeOk) return invalidArgument(MSG_HTTPS);
  if (parsed.username !== '' || parsed.password !== '') return invalidArgument(MSG_CREDENTIALS);
  const host = bareHost(parsed);
  if (host === '') return invalidArgument(MSG_INVALID_URL);
  if (allowPrivate) return null;
  if (isIP(host) !== 0 ? isForbiddenAddress(host) : isForbiddenName(host)) return invalidArgument(MSG_PRIVATE);
  return null;
};

const familyOf = (address: string): 4 | 6 => (isIP(address) === 6 ? 6 : 4);

/**
 * Delivery-time check (spec §6.7, decisions §6): applies the syntax rules, resolves every address of
 * the host and refuses when any of them is forbidden. IP-literal hosts skip DNS. The returned address
 * is the one to connect to, so nothing is resolved again between check and connect.
 */
export const resolveAndCheck = async (url: string, opts: SsrfOptions): Promise<ResolveResult> => {
  const syntaxError = checkWebhookUrlSyntax(url, { allowPrivate: opts.allowPrivate });
  if (syntaxError) return { ok: false, reason: 'ssrf-blocked', message: syntaxError.message };
  const host = bareHost(new URL(url));

  if (isIP(host) !== 0) return { ok: true, address: host, family: familyOf(host) };

  const lookup: LookupAll = opts.lookup ?? ((h, o) => dns.lookup(h, o));
  let addresses: LookupAllAddress[];
  try {
    addresses = await lookup(host, { all: true });
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const detail = typeof code === 'string' ? code : 'lookup error';
    return { ok: false, reason: 'dns-failed', message: `webhookUrl host could not be resolved (${detail})` };
  }
  const valid = addresses.filter((a) => isIP(a.address) !== 0);
  if (valid.length === 0 || valid.length !== addresses.length) {
    return { ok: false, reason: 'dns-failed', message: 'webhookUrl host resolved to no usable address' };
  }
  if (!opts.allowPrivate && valid.some((a) => isForbiddenAddress(a.address))) {
    return { ok: false, reason: 'ssrf-blocked', message: MSG_PRIVATE };
  }
  const first = valid[0] as LookupAllAddress;
  return { ok: true, address: first.address, family: familyOf(first.address) };
};
