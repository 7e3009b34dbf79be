import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Request signing, one scheme for every request the engine sends: webhook deliveries (signed with
 * the run's webhook secret) and calls to HTTP agents (signed with the agent's secret).
 */

export const SIGNATURE_HEADER = 'x-velt-signature';

const hmacHex = (secret: string, rawBody: string | Uint8Array): string => createHmac('sha256', secret).update(rawBody).digest('hex');

/** `sha256=<lowercase hex HMAC-SHA256(secret, raw body bytes)>` (spec §6.5). */
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
