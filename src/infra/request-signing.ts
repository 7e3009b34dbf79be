import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Request signing, one scheme for every request the engine sends: webhook deliveries (signed with
 * the run's webhook secret) and calls to HTTP agents (signed with the agent's secret).
 */

export const SIGNATURE_HEADER = 'x-velt-signature';

const hmacHex = (secret: string, rawBody: string | Uint8Array): string => createHmac('sha256', secret).update(rawBody).digest('hex');

/** `sha256=<lowercase hex HMAC-SHA256(secret, raw body bytes)>` (docs/events.md, "Headers"). */
export const signBody = (secret: string, rawBody: string | Uint8Array): string => `sha256=${hmacHex(secret, rawBody)}`;

/** Verifies an `x-velt-signature` header over the raw body in constant time. */
export const verifySignature = (secret: string, rawBody: string | Uint8Array, header: string | null | undefined): boolean => {
  if (typeof header !== 'string') return false;
  const eq = header.indexOf('=');
  if (eq < 0) return false;
  const scheme = header.slice(0, eq).trim();
  const hex = header.slice(eq + 1).trim();
  if (scheme !== 'sha256' || !/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = Buffer.from(hmacHex(secret, rawBody), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/*
 * Standard Webhooks (https://www.standardwebhooks.com), beside `x-velt-signature` on every signed
 * request: the signature covers the message id and a timestamp as well as the body, so a receiver
 * can refuse a captured request replayed later (docs/behaviour.md#webhook-signatures).
 */

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/** How far a receiver lets `webhook-timestamp` stray from its clock, either way (the Standard Webhooks default). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

const standardMac = (secret: string, id: string, timestampSeconds: number | string, rawBody: string | Uint8Array): Buffer =>
  createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestampSeconds}.`, 'utf8').update(rawBody).digest();

/** `v1,<base64 HMAC-SHA256 over "id.timestamp.body">`, keyed with the UTF-8 bytes of the secret. */
export const signStandardWebhook = (secret: string, id: string, timestampSeconds: number, rawBody: string | Uint8Array): string =>
  `v1,${standardMac(secret, id, timestampSeconds, rawBody).toString('base64')}`;

/**
 * The three Standard Webhooks headers of one attempt. Each secret signs once, the current secret
 * first; during a rotation the previous one signs too (space-separated), so a receiver that knows
 * either verifies.
 */
export const standardWebhookHeaders = (
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  rawBody: string | Uint8Array,
): Record<string, string> => ({
  [WEBHOOK_ID_HEADER]: id,
  [WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds),
  [WEBHOOK_SIGNATURE_HEADER]: [...new Set(secrets)].map((secret) => signStandardWebhook(secret, id, timestampSeconds, rawBody)).join(' '),
});

export interface StandardWebhookHeaders {
  id: string | null | undefined;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
}

/**
 * Verifies Standard Webhooks headers: a timestamp within `toleranceSeconds` of `nowSeconds`, and
 * at least one `v1` signature (of the space-separated list) that one of `secrets` produced over
 * "id.timestamp.body". Compared in constant time.
 */
export const verifyStandardWebhook = (
  secrets: readonly string[],
  headers: StandardWebhookHeaders,
  rawBody: string | Uint8Array,
  nowSeconds: number,
  toleranceSeconds: number = WEBHOOK_TOLERANCE_SECONDS,
): boolean => {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,15}$/.test(timestamp)) return false;
  const seconds = Number(timestamp);
  if (Math.abs(nowSeconds - seconds) > toleranceSeconds) return false;
  const given = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  let verified = false;
  for (const secret of secrets) {
    const expected = standardMac(secret, id, timestamp, rawBody);
    for (const candidate of given) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) verified = true;
    }
  }
  return verified;
};
