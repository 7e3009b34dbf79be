import type { Readable } from 'node:stream';

/** How reading stopped: the whole body, more than allowed (reading stopped there), or a stream that broke off. */
export type CappedBodyEnd = 'complete' | 'over-limit' | 'broken';

export interface CappedBody {
  /** At most `maxBytes` bytes: what arrived before reading stopped. */
  body: Buffer;
  end: CappedBodyEnd;
}

/**
 * Reads a body, counting bytes as they arrive, and stops (destroying the stream, so the peer sends
 * no more) as soon as it holds more than `maxBytes`. Never throws; memory stays within `maxBytes`
 * plus one chunk.
 */
export const readCapped = (stream: Readable, maxBytes: number): Promise<CappedBody> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (end: CappedBodyEnd): void => {
      if (done) return;
      done = true;
      resolve({ body: Buffer.concat(chunks), end });
      if (end !== 'complete') stream.destroy();
    };
    stream.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        finish('over-limit');
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => finish('complete'));
    stream.on('error', () => finish('broken'));
    // 'close' follows 'end' on a complete body; alone it means the body broke off.
    stream.on('close', () => finish('broken'));
  });
