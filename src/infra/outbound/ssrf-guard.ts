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
  /**
   * Lifts the https and private-address rules: `WEBHOOK_ALLOW_PRIVATE_TARGETS=true` (dev/tests
   * only), or an HTTP agent the operator marked `internal`.
   */
  allowPrivate: boolean;
  lookup?: LookupAll;
  /** What the URL is called in messages; `webhookUrl` unless given. */
  subject?: string;
}

/** `message` is what a client may read; `detail` (the resolver's error) is for the worker's log only. */
export type ResolveResult =
  { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: 'ssrf-blocked' | 'dns-failed'; message: string; detail?: string };

/** The refusal messages, naming the URL as `subject` calls it (docs/behaviour.md#outbound-requests). */
export const ssrfMessages = (subject: string) =>
  ({
    invalidUrl: `${subject}: not a valid URL`,
    https: `${subject} must use https scheme`,
    private: `${subject} host resolves to a private, loopback, or link-local address`,
    credentials: `${subject} must not contain credentials`,
    unresolved: `${subject} host could not be resolved`,
  }) as const;

const WEBHOOK_MESSAGES = ssrfMessages('webhookUrl');
export const MSG_INVALID_URL = WEBHOOK_MESSAGES.invalidUrl;
export const MSG_HTTPS = WEBHOOK_MESSAGES.https;
export const MSG_PRIVATE = WEBHOOK_MESSAGES.private;
export const MSG_CREDENTIALS = WEBHOOK_MESSAGES.credentials;

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
 * Dispatch-time check of a `webhookUrl` (docs/behaviour.md, "Outbound requests"). Needs no DNS. Returns an INVALID_ARGUMENT
 * error, or null when the URL is acceptable. With `allowPrivate` only parse and credential rules apply.
 */
export const checkWebhookUrlSyntax = (url: string, opts?: { allowPrivate?: boolean; subject?: string }): EngineError | null => {
  const allowPrivate = opts?.allowPrivate === true;
  const messages = opts?.subject === undefined ? WEBHOOK_MESSAGES : ssrfMessages(opts.subject);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalidArgument(messages.invalidUrl);
  }
  const schemeOk = parsed.protocol === 'https:' || (allowPrivate && parsed.protocol === 'http:');
  if (!schemeOk) return invalidArgument(messages.https);
  if (parsed.username !== '' || parsed.password !== '') return invalidArgument(messages.credentials);
  const host = bareHost(parsed);
  if (host === '') return invalidArgument(messages.invalidUrl);
  if (allowPrivate) return null;
  if (isIP(host) !== 0 ? isForbiddenAddress(host) : isForbiddenName(host)) return invalidArgument(messages.private);
  return null;
};

const familyOf = (address: string): 4 | 6 => (isIP(address) === 6 ? 6 : 4);

/**
 * Delivery-time check (docs/behaviour.md, "Outbound requests"): applies the syntax rules, resolves every address of
 * the host and refuses when any of them is forbidden. IP-literal hosts skip DNS. The returned address
 * is the one to connect to, so nothing is resolved again between check and connect. A resolver
 * failure says only that the host could not be resolved (its error code would tell names that do
 * not exist from resolvers that time out).
 */
export const resolveAndCheck = async (url: string, opts: SsrfOptions): Promise<ResolveResult> => {
  const messages = opts.subject === undefined ? WEBHOOK_MESSAGES : ssrfMessages(opts.subject);
  const syntaxError = checkWebhookUrlSyntax(url, { allowPrivate: opts.allowPrivate, subject: opts.subject ?? 'webhookUrl' });
  if (syntaxError) return { ok: false, reason: 'ssrf-blocked', message: syntaxError.message };
  const host = bareHost(new URL(url));

  if (isIP(host) !== 0) return { ok: true, address: host, family: familyOf(host) };

  const lookup: LookupAll = opts.lookup ?? ((h, o) => dns.lookup(h, o));
  let addresses: LookupAllAddress[];
  try {
    addresses = await lookup(host, { all: true });
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    return {
      ok: false,
      reason: 'dns-failed',
      message: messages.unresolved,
      detail: `lookup ${host}: ${typeof code === 'string' ? code : String(err)}`,
    };
  }
  const valid = addresses.filter((a) => isIP(a.address) !== 0);
  if (valid.length === 0 || valid.length !== addresses.length) {
    return { ok: false, reason: 'dns-failed', message: messages.unresolved, detail: `lookup ${host}: no usable address` };
  }
  if (!opts.allowPrivate && valid.some((a) => isForbiddenAddress(a.address))) {
    return { ok: false, reason: 'ssrf-blocked', message: messages.private };
  }
  const first = valid[0] as LookupAllAddress;
  return { ok: true, address: first.address, family: familyOf(first.address) };
};
