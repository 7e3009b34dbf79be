import { hkdfSync } from 'node:crypto';

/** What a derived key is for; each purpose gets its own key, so one can never stand in for another. */
export type KeyPurpose = 'reviewer-links' | 'operator-sessions';

/**
 * A 32-byte key derived from APPROVAL_SECRETS_KEY with HKDF-SHA256 (docs/ui.md, "Keys"). The
 * secrets key itself only seals webhook secrets (`SecretBox`); MACs use these derived keys.
 */
export const deriveKey = (base64SecretsKey: string, purpose: KeyPurpose): Buffer => {
  const secretsKey = Buffer.from(base64SecretsKey, 'base64');
  if (secretsKey.length !== 32) throw new Error('APPROVAL_SECRETS_KEY must be 32 bytes, base64-encoded');
  return Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), `approval-engine/${purpose}/v1`, 32));
};
