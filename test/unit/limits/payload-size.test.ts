import { describe, expect, it } from 'vitest';
import { jsonPayloadBytes } from '../../../src/core/limits/payload-size';

describe('jsonPayloadBytes', () => {
  it.each([
    ['ascii', { a: 'xyz' }],
    ['two-byte characters', { a: 'é'.repeat(10) }],
    ['three-byte characters', { a: '€'.repeat(10) }],
    ['astral characters (surrogate pairs)', { a: '😀'.repeat(10) }],
    ['escapes', { a: '"\\\n\u0001' }],
  ])('counts %s as the UTF-8 bytes of the JSON text', (_, value) => {
    expect(jsonPayloadBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
  });
});
