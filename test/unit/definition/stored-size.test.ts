import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../../src/core/definition';
import { STORED_DEFINITION_MAX_BYTES } from '../../../src/core/definition/stored-size';
import { agent, definition, edge, violationsOf } from './helpers';

describe('stored definition size', () => {
  const padded = (pad: string) => definition({ definitionId: 'stored-size', custom: { pad } });
  const storedBytes = (input: unknown): number => {
    const result = validateDefinition(input);
    if (!result.ok) throw new Error(result.error.message);
    return Buffer.byteLength(JSON.stringify(result.definition), 'utf8');
  };

  it('1 MiB of canonical JSON (UTF-8) is accepted, one byte more is refused', () => {
    const base = storedBytes(padded(''));
    expect(storedBytes(padded('x'.repeat(STORED_DEFINITION_MAX_BYTES - base)))).toBe(STORED_DEFINITION_MAX_BYTES);
    expect(violationsOf(padded('x'.repeat(STORED_DEFINITION_MAX_BYTES - base + 1)))).toEqual([
      {
        code: 'definition-too-large',
        message: 'data: the definition takes 1,048,577 bytes once stored (canonical JSON, UTF-8), over the 1,048,576-byte limit',
      },
    ]);
  });

  it('counts bytes, not characters: a 3-byte character counts 3', () => {
    const base = storedBytes(padded(''));
    const euros = Math.floor((STORED_DEFINITION_MAX_BYTES - base) / 3);
    expect(storedBytes(padded('€'.repeat(euros)))).toBe(base + 3 * euros);
    expect(violationsOf(padded('€'.repeat(euros + 1)))[0]?.code).toBe('definition-too-large');
  });

  it('refuses a body under 1 MiB whose infix whens grow past 1 MiB once stored as JSON', () => {
    let infix = 'output.a0 == 1';
    for (let i = 1; infix.length < 3980; i += 1) infix += ` || output.a${i} == 1`;
    const nodes = Array.from({ length: 40 }, (_, i) => agent(`n${i}`));
    const edges = nodes.flatMap((_, i) => nodes.slice(i + 1).map((to) => edge(`n${i}`, to.nodeId, infix))).slice(0, 250);
    const input = definition({ definitionId: 'infix-growth', nodes, edges });
    expect(JSON.stringify(input).length).toBeLessThan(1024 * 1024);
    expect(violationsOf(input).map((v) => v.code)).toEqual(['definition-too-large']);
  });
});
