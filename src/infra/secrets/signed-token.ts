import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * `v1.<base64url JSON claims>.<base64url HMAC-SHA256>`: the shape of reviewer-link and session
 * tokens (docs/ui.md). The MAC covers the version and the claims; it is checked, in constant time,
 * before the claims are parsed.
 */

const VERSION = 'v1';
/** Far above any real token; bounds the work an attacker's input can cause. */
const MAX_TOKEN_CHARS = 4096;

const mac = (key: Buffer, signed: string): Buffer => createHmac('sha256', key).update(signed, 'utf8').digest();

export const signClaims = (key: Buffer, claims: object): string => {
  const signed = `${VERSION}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
  return `${signed}.${mac(key, signed).toString('base64url')}`;
};

export type Opened = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: 'malformed' | 'bad-signature' };

export const openClaims = (key: Buffer, token: string): Opened => {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(parts[2], 'base64url');
  const expected = mac(key, `${parts[0]}.${parts[1]}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return { ok: false, reason: 'malformed' };
    return { ok: true, claims: claims as Record<string, unknown> };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
};
