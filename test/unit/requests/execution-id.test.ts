import { describe, expect, it } from 'vitest';
import { GetEventsRequestSchema } from '../../../src/core/requests/execution-requests';
import { describeZodError } from '../../../src/core/zod-message';

// An execution id becomes part of a Temporal workflow id, which must be valid UTF-8 (docs/api.md, "Common formats").
describe('executionId on input', () => {
  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', 'exec_1_\udc00'],
    ['a high surrogate at the end', `exec_1_${'\ud83d'}`],
  ])('refuses %s, naming the field', (_name, executionId) => {
    const parsed = GetEventsRequestSchema.safeParse(JSON.parse(JSON.stringify({ executionId })));
    expect(parsed.success).toBe(false);
    expect(describeZodError(parsed.error!)).toEqual(['data.executionId: must be well-formed Unicode (it has a lone surrogate)']);
  });

  it.each([
    ['an engine id', 'exec_1777374504255_abcdefgh'],
    ['a surrogate pair (an emoji)', 'exec_😀'],
  ])('accepts %s', (_name, executionId) => {
    expect(GetEventsRequestSchema.safeParse({ executionId }).success).toBe(true);
  });
});
