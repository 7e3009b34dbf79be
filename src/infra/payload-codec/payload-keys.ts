import { z } from 'zod';

/** One AES-256 key and the id written beside every payload it sealed. */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * `APPROVAL_PAYLOAD_KEYS`: a comma-separated list of `<key id>:<32 bytes, base64>`. The first key
 * seals new payloads; every listed key opens payloads that name it, so a key is rotated by putting a
 * new one first and dropping the old one once no retained history needs it (docs/operations.md).
 */
export const payloadKeysField = z.string().transform((value, ctx): PayloadKey[] => {
  const keys: PayloadKey[] = [];
  for (const [index, entry] of value.split(',').entries()) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, Math.max(separator, 0)).trim();
    const key = Buffer.from(entry.slice(separator + 1).trim(), 'base64');
    const problem =
      separator < 0 || !KEY_ID.test(id)
        ? 'must start with a key id (letters, digits, ".", "_", "-"; at most 64) and a colon'
        : key.length !== 32
          ? 'must hold 32 bytes, base64-encoded, after the key id'
          : keys.some((known) => known.id === id)
            ? `repeats the key id "${id}"`
            : undefined;
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `entry ${index + 1} ${problem}` });
      return z.NEVER;
    }
    keys.push({ id, key });
  }
  return keys;
});
