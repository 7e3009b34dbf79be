import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { PayloadKey } from './payload-keys';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

/** The metadata Temporal's own encryption samples use, so other tools recognise the payloads. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = (bytes: Uint8Array | null | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/** A sealed payload this process cannot open: an unknown key id, or bytes that fail authentication. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

/**
 * Seals every payload (workflow inputs and results, update and query arguments and replies, memos)
 * with AES-256-GCM: the whole Payload message is the plaintext, so its original encoding is hidden
 * too. The key id travels in clear metadata, and is also the additional authenticated data, so a
 * payload cannot be passed off as sealed by another key. Payloads without the encrypted encoding pass
 * through decode unchanged: runs started before encryption was turned on stay readable.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: Map<string, Buffer>;

  constructor(keys: readonly PayloadKey[]) {
    const [current] = keys;
    if (!current) throw new Error('AesGcmPayloadCodec needs at least one key');
    this.current = current;
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
  }

  // Synchronous work behind the asynchronous interface; a failure still arrives as a rejection.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.seal(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.open(payload)));
  }

  private seal(payload: Payload): Payload {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const sealed = Buffer.concat([cipher.update(PayloadMessage.encode(payload).finish()), cipher.final()]);
    return {
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id, 'utf8') },
      data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
    };
  }

  private open(payload: Payload): Payload {
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const id = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
    const key = this.byId.get(id);
    if (!key) {
      throw new PayloadDecryptionError(`payload sealed with key id "${id}", which is not in APPROVAL_PAYLOAD_KEYS`);
    }
    const data = Buffer.from(payload.data ?? []);
    try {
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(id, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return PayloadMessage.decode(plain);
    } catch {
      throw new PayloadDecryptionError(
        `payload sealed with key id "${id}" fails authentication: altered, or sealed with another key of that id`,
      );
    }
  }
}
