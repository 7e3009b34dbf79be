import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../../src/core/definition';
import { DispatchRequestSchema, GetEventsRequestSchema } from '../../../src/core/requests/execution-requests';
import { describeZodError } from '../../../src/core/zod-message';
import { walkthroughDefinition } from '../../fixtures/definitions';

// These strings become part of a Temporal id or an indexed value: no lone surrogate (no UTF-8 form)
// and no U+0000 (PostgreSQL text refuses it) (docs/api.md, "Common formats").
const NUL = 'must not contain U+0000 (NUL)';
const SURROGATE = 'must be well-formed Unicode (it has a lone surrogate)';
const refusals: Array<[string, string, string]> = [
  ['a lone high surrogate', '\ud800', SURROGATE],
  ['a lone low surrogate', 'exec_1_\udc00', SURROGATE],
  ['a high surrogate at the end', `exec_1_${'\ud83d'}`, SURROGATE],
  ['a NUL', '\u0000', NUL],
  ['a NUL inside', 'exec_1_\u0000x', NUL],
];
const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('executionId on input', () => {
  it.each(refusals)('refuses %s, naming the field', (_name, executionId, message) => {
    const parsed = GetEventsRequestSchema.safeParse(throughJson({ executionId }));
    expect(parsed.success).toBe(false);
    expect(describeZodError(parsed.error!)).toEqual([`data.executionId: ${message}`]);
  });

  it.each([
    ['an engine id', 'exec_1777374504255_abcdefgh'],
    ['a surrogate pair (an emoji)', 'exec_😀'],
    ['another control character', 'exec_\u0001'],
  ])('accepts %s', (_name, executionId) => {
    expect(GetEventsRequestSchema.safeParse({ executionId }).success).toBe(true);
  });
});

describe('scope ids and trigger ids on input', () => {
  it.each(refusals)('a dispatch organizationId with %s is refused, naming the field', (_name, organizationId, message) => {
    const parsed = DispatchRequestSchema.safeParse(throughJson({ definitionId: 'blog-review', organizationId }));
    expect(describeZodError(parsed.error!)).toEqual([`data.organizationId: ${message}`]);
  });

  it.each(refusals)('a definition scope.documentId with %s is refused, naming the field', (_name, documentId, message) => {
    const definition = { ...walkthroughDefinition('scoped-review'), scope: { level: 'document', organizationId: 'org-1', documentId } };
    const result = validateDefinition(throughJson(definition));
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error.message).toBe(`data.scope.documentId: ${message}`);
  });

  it.each(refusals)('a triggerId with %s is refused, naming the field', (_name, triggerId, message) => {
    const definition = {
      ...walkthroughDefinition('scheduled-review'),
      triggers: [{ triggerId, schedule: { cron: '0 2 * * *', timezone: 'UTC', enabled: true } }],
    };
    const result = validateDefinition(throughJson(definition));
    expect(result.ok ? null : result.error.message).toBe(`data.triggers[0].triggerId: ${message}`);
  });

  it('accepts ordinary ids', () => {
    const definition = {
      ...walkthroughDefinition('scoped-review'),
      scope: { level: 'document', organizationId: 'org-😀', documentId: 'doc 1' },
      triggers: [{ triggerId: 'nightly', schedule: { cron: '0 2 * * *', timezone: 'UTC', enabled: true } }],
    };
    expect(validateDefinition(definition).ok).toBe(true);
  });
});
