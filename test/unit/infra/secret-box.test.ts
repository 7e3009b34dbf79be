import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../../src/infra/secrets/secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(SecretBox.generateKey());

  it('round-trips a secret without the plaintext appearing in the sealed form', () => {
    const sealed = box.seal('whsec_super-secret-value');
    expect(sealed).not.toContain('whsec');
    expect(box.open(sealed)).toBe('whsec_super-secret-value');
  });

  it('seals the same secret differently each time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses tampered ciphertext and another key', () => {
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 3), Buffer.from('other').toString('base64url')].join('.');
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox(SecretBox.generateKey()).open(sealed)).toThrow();
    expect(() => box.open('plain-text')).toThrow('not a sealed secret');
  });

  it('requires a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16).toString('base64'))).toThrow('APPROVAL_SECRETS_KEY must be 32 bytes');
  });
});
