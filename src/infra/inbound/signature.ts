import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundProvider, InboundWebhookTrigger } from '../../core/definition/schema/trigger';

/** How a provider signs a delivery and names its event (docs/inbound.md, "Inbound triggers"). */
export interface SignatureScheme {
  header: string;
  algorithm: 'sha1' | 'sha256';
  prefix: string;
}

export const PROVIDER_PRESETS: Record<Exclude<InboundProvider, 'custom'>, SignatureScheme> = {
  velt: { header: 'x-velt-signature', algorithm: 'sha256', prefix: 'sha256=' },
  github: { header: 'x-hub-signature-256', algorithm: 'sha256', prefix: 'sha256=' },
  vercel: { header: 'x-vercel-signature', algorithm: 'sha1', prefix: '' },
};

export const signatureScheme = (config: InboundWebhookTrigger): SignatureScheme => {
  const provider = config.provider ?? 'velt';
  if (provider !== 'custom') return PROVIDER_PRESETS[provider];
  return {
    header: (config.signatureHeader ?? '').toLowerCase(),
    algorithm: config.signatureAlgorithm ?? 'sha256',
    prefix: config.signaturePrefix ?? '',
  };
};

/** The header value a sender with `secret` puts on `body`. */
export const sign = (scheme: SignatureScheme, secret: string, body: Uint8Array): string =>
  `${scheme.prefix}${createHmac(scheme.algorithm, secret).update(body).digest('hex')}`;

const equalDigests = (presented: string, expected: string): boolean => {
  // Hashing both sides first keeps the comparison constant-time whatever the presented length.
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
};

/** A hex HMAC of the raw body, after the scheme's prefix; hex case is ignored, the prefix is not. */
export const verifyHmac = (scheme: SignatureScheme, secret: string, body: Uint8Array, presented: string | undefined): boolean => {
  if (presented === undefined) return false;
  const value = presented.trim();
  if (!value.startsWith(scheme.prefix)) return false;
  const hex = value.slice(scheme.prefix.length).toLowerCase();
  return equalDigests(hex, createHmac(scheme.algorithm, secret).update(body).digest('hex'));
};

/** `Authorization: Bearer <secret>` (velt provider only). */
export const verifyBearer = (secret: string, authorization: string | undefined): boolean => {
  const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? '');
  return match?.[1] !== undefined && equalDigests(match[1], secret);
};
