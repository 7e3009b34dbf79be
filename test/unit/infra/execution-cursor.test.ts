import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/infra/temporal/execution-cursor';

/** executions/list cursors: ours (opaque) and G3's (a run's startedAt), docs/behaviour.md "G3 runtime". */
describe('executions/list cursors', () => {
  it('round-trips the opaque cursor it hands out', () => {
    const cursor = { startedBefore: 1_777_374_504_364, skipIds: ['approval-exec/ws/exec_1'] };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['a number', 1_777_374_504_364],
    ['a decimal string', '1777374504364'],
  ])('reads a startedAt given as %s: runs that started strictly before it', (_, cursor) => {
    expect(decodeCursor(cursor)).toEqual({ startedBefore: 1_777_374_504_363, skipIds: [], viewStartedBefore: 1_777_374_504_364 });
  });

  it.each([['not-a-cursor'], [-1], [1.5], [Number.MAX_SAFE_INTEGER + 2], ['12e3'], ['99999999999999999'], ['']])(
    'refuses %j naming data.cursor',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(/^data\.cursor: /);
    },
  );

  const opaque = (fields: Record<string, unknown>): string => Buffer.from(JSON.stringify(fields)).toString('base64url');
  it.each([
    ['a fractional bound', { s: -1.5, k: [] }],
    ['a bound past the safe integers', { s: 1e308, k: [] }],
    ['a fractional view bound', { s: 1, k: [], v: 0.5 }],
    ['a text bound', { s: '5', k: [] }],
    ['skip ids that are not text', { s: 1, k: [1] }],
  ])('refuses an opaque cursor with %s naming data.cursor (the bounds go into the query as integers)', (_, fields) => {
    expect(() => decodeCursor(opaque(fields))).toThrow(/^data\.cursor: /);
  });
});
