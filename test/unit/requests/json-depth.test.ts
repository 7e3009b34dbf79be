import { describe, expect, it } from 'vitest';
import { describeJsonPath, MAX_JSON_DEPTH, pathPastDepth } from '../../../src/core/json-depth';

/** `levels` arrays and objects, alternating, built without recursion or JSON.parse. */
const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = levels; i >= 1; i -= 1) value = i % 2 === 0 ? [value] : { k: value };
  return value;
};

describe('JSON nesting depth', () => {
  it('accepts 64 levels and reports the path of the 65th', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(pathPastDepth(nested(64))).toBeNull();
    const path = pathPastDepth(nested(65));
    expect(path).toHaveLength(64);
    expect(path?.slice(0, 3)).toEqual(['k', 0, 'k']);
  });

  it('walks a million levels without overflowing the stack, stopping at the limit', () => {
    const deep = JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`) as unknown;
    expect(pathPastDepth(deep)).toHaveLength(MAX_JSON_DEPTH);
  });

  it('reports the first too-deep value from the left, past shallow siblings', () => {
    const body = { data: { a: [1, 2, { b: 'x' }], triggerContext: { deep: nested(70) }, z: nested(80) } };
    const path = pathPastDepth(body);
    expect(path?.slice(0, 4)).toEqual(['data', 'triggerContext', 'deep', 'k']);
    expect(describeJsonPath(path ?? [])).toBe('data.triggerContext.deep.k[0].k[0].k…');
  });

  it('scalars and shallow values pass', () => {
    expect(pathPastDepth('text')).toBeNull();
    expect(pathPastDepth(null)).toBeNull();
    expect(pathPastDepth({ a: [{ b: [] }] }, 4)).toBeNull();
    expect(pathPastDepth({ a: [{ b: [] }] }, 3)).toEqual(['a', 0, 'b']);
  });

  it('names paths like the schema messages do', () => {
    expect(describeJsonPath(['data', 'nodes', 0, 'config', 'inputMapping'])).toBe('data.nodes[0].config.inputMapping');
  });
});
