import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
} from '../../../src/infra/payload-codec/aes-gcm-codec';
import type { PayloadKey } from '../../../src/infra/payload-codec/payload-keys';

const key = (id: string, fill: number): PayloadKey => ({ id, key: Buffer.alloc(32, fill) });
const text = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('utf8');
const triggerContext = { postId: 42, author: 'alice@example.com', body: 'embargoed launch notes' };
const plain = (): Payload => defaultPayloadConverter.toPayload(triggerContext);

describe('AesGcmPayloadCodec', () => {
  it('seals a payload so neither its data nor its encoding is readable, and opens it again', async () => {
    const codec = new AesGcmPayloadCodec([key('k1', 1)]);
    const [sealed] = await codec.encode([plain()]);
    expect(text(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed!.metadata![KEY_ID_METADATA])).toBe('k1');
    expect(Buffer.from(sealed!.data!).includes('embargoed')).toBe(false);
    expect(Buffer.from(sealed!.data!).includes('json/plain')).toBe(false);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(triggerContext);
  });

  it('uses a fresh nonce for every payload', async () => {
    const codec = new AesGcmPayloadCodec([key('k1', 1)]);
    const [first, second] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
  });

  it('rotates: seals with the first key and still opens payloads sealed with an older listed key', async () => {
    const [old] = await new AesGcmPayloadCodec([key('2025-11', 1)]).encode([plain()]);
    const rotated = new AesGcmPayloadCodec([key('2026-05', 2), key('2025-11', 1)]);
    const [fresh] = await rotated.encode([plain()]);
    expect(text(fresh!.metadata![KEY_ID_METADATA])).toBe('2026-05');
    const opened = await rotated.decode([old!, fresh!]);
    expect(opened.map((payload) => defaultPayloadConverter.fromPayload(payload))).toEqual([triggerContext, triggerContext]);
  });

  it('names the key id it was not given', async () => {
    const [sealed] = await new AesGcmPayloadCodec([key('retired', 1)]).encode([plain()]);
    const codec = new AesGcmPayloadCodec([key('current', 2)]);
    await expect(codec.decode([sealed!])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([sealed!])).rejects.toThrow('payload sealed with key id "retired", which is not in APPROVAL_PAYLOAD_KEYS');
  });

  it('refuses altered bytes, a truncated payload, and a payload relabelled with another key id', async () => {
    const codec = new AesGcmPayloadCodec([key('a', 1), key('b', 1)]);
    const [sealed] = await codec.encode([plain()]);
    const flipped = Buffer.from(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    for (const bad of [{ ...sealed!, data: flipped }, { ...sealed!, data: Buffer.alloc(10) }, relabelled]) {
      await expect(codec.decode([bad])).rejects.toThrow(/fails authentication/);
    }
  });

  it('passes payloads that were never sealed through unchanged, so runs from before encryption stay readable', async () => {
    const codec = new AesGcmPayloadCodec([key('k1', 1)]);
    const payload = plain();
    expect(await codec.decode([payload])).toEqual([payload]);
  });
});
