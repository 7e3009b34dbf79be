import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ENDPOINTS } from '../../api/endpoints';
import { buildOpenApiDocument } from '../../api/openapi';
import { ERROR_CODES } from '../../src/core/errors';
import { walkthroughDefinition } from '../fixtures/definitions';
import { reviewDefinition } from '../fixtures/execution-definitions';
import { useEngine } from '../support/engine';
import { createAndDispatch, freshId, waitForStep } from '../support/rest-api';

const engine = useEngine();

// APPROVAL_FUZZ_RUNS runs a deeper sweep locally (e.g. 400); CI draws 40 new bodies per endpoint each time.
const RUNS_PER_ENDPOINT = Number(process.env.APPROVAL_FUZZ_RUNS ?? 40);
const REQUEST_TIMEOUT_MS = 30_000;

/** The top-level `data` fields each endpoint documents (from the same schemas that validate). */
const documented = buildOpenApiDocument(ENDPOINTS) as {
  paths: Record<string, { post: { requestBody: { content: { 'application/json': { schema: { properties: { data: any } } } } } } }>;
};
const fieldsOf = (path: string): string[] => {
  const data = documented.paths[path]!.post.requestBody.content['application/json'].schema.properties.data;
  const variants: any[] = data.anyOf ?? data.oneOf ?? [data];
  return [...new Set(variants.flatMap((variant) => Object.keys(variant.properties ?? {})))];
};

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...POLLUTING_KEYS), fc.string({ unit: 'grapheme', maxLength: 8 }));
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '🧨'.repeat(5_000), 'x'.repeat(70_000), 'exec_1777374504255_zzzzzzzz'),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, -1, 0, true, false, null));
const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A JSON document nested `depth` levels deep, as text (no recursion needed to build or send it). */
const deeplyNested = fc.integer({ min: 60, max: 5_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

/** The endpoint's own fields, each given an arbitrary value, plus stray keys. */
const nearlyValid = (fields: string[]) =>
  fc
    .record({
      known: fc.dictionary(fc.constantFrom(...(fields.length > 0 ? fields : ['x'])), value, { maxKeys: fields.length + 1 }),
      stray: fc.dictionary(key, value, { maxKeys: 2 }),
    })
    .map(({ known, stray }) => JSON.stringify({ data: { ...stray, ...known } }));

/** A request the endpoint accepts (or refuses only for the state it meets), with one field made hostile. */
const oneFieldHostile = (base: Record<string, unknown>, fields: string[]) =>
  fc
    .record({ field: fc.constantFrom(...fields), replacement: value })
    .map(({ field, replacement }) => JSON.stringify({ data: { ...base, [field]: replacement } }));

const bodies = (fields: string[], base: Record<string, unknown>): fc.Arbitrary<string> =>
  fc.oneof(
    oneFieldHostile(base, fields),
    oneFieldHostile(base, fields),
    nearlyValid(fields),
    value.map((data) => JSON.stringify({ data })),
    value.map((anything) => JSON.stringify(anything) ?? ''),
    deeplyNested.map((nested) => `{"data":{"${fields[0] ?? 'x'}":${nested}}}`),
    deeplyNested,
    fc.string({ maxLength: 60 }),
    fc.constantFrom('', '{', '{"data":', 'null', '{"data":{}}', `{"data":{"__proto__":{"polluted":true}}}`, '{"__proto__":{"data":1}}'),
  );

/** Through the admin caller (its credentials and POST); a request that hangs fails the property. */
const send = async (path: string, body: string) => {
  const response = await engine.admin.raw(path, { body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: response.status, json: response.body };
};

describe('hostile request bodies on every endpoint (fast-check)', () => {
  /** Per path, a body that reaches the engine: real definition, run and step ids. */
  const bases = new Map<string, Record<string, unknown>>();
  beforeAll(async () => {
    const definitionId = freshId('fuzz');
    const executionId = await createAndDispatch(engine.admin, reviewDefinition(definitionId, { hold: true }));
    const { step } = await waitForStep(engine.admin, executionId, 'human-hold', 'waiting');
    const cancelled = await createAndDispatch(engine.admin, reviewDefinition(freshId('fuzz-cancel'), { hold: true }));
    const stepAddress = { executionId, stepId: step.stepId };
    const entries: Array<[string, Record<string, unknown>]> = [
      ['definitions/create', walkthroughDefinition(freshId('fuzz-create'))],
      ['definitions/update', { definitionId, ifVersion: 1, name: 'Renamed' }],
      ['definitions/get', { definitionId }],
      ['definitions/list', { pageSize: 5 }],
      ['definitions/delete', { definitionId: 'fuzz-never-created' }],
      ['executions/dispatch', { definitionId, triggerContext: { postId: 'p-1' } }],
      ['executions/get', { executionId }],
      ['executions/list', { definitionId, pageSize: 5 }],
      ['executions/cancel', { executionId: cancelled, reason: 'fuzz' }],
      ['executions/getEvents', { executionId, sinceSeq: 0, pageSize: 10 }],
      ['steps/recordReviewerDecision', { ...stepAddress, reviewerId: 'u_stranger', decision: 'approve' }],
      ['steps/recordAgentResolution', { ...stepAddress, resolutionId: 'r-1', status: 'success', output: {} }],
      ['steps/cancel', { executionId, stepId: 'step_never' }],
      ['steps/resolve', { executionId, stepId: 'step_never', action: 'reviewer-approve', actorId: 'u_stranger' }],
    ];
    for (const [path, base] of entries) bases.set(`/v2/workflow/${path}`, base);
  });

  it.each(ENDPOINTS.map((endpoint) => endpoint.path))(
    '%s answers the envelope every time, never a 5xx or a hang',
    async (path) => {
      const fields = fieldsOf(path);
      expect(fields.length).toBeGreaterThan(0);
      const answers = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(bodies(fields, bases.get(path)!), async (body) => {
          const { status, json } = await send(path, body);
          const answer = `${status} ${json?.error?.status ?? 'ok'}`;
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
          expect(status, body.slice(0, 200)).toBeLessThan(500);
          if (status === 200) {
            expect(Object.keys(json)).toEqual(['result']);
            return;
          }
          expect(Object.keys(json)).toEqual(['error']);
          expect(ERROR_CODES).toContain(json.error.status);
          expect(typeof json.error.message).toBe('string');
          expect(json.error.message.length).toBeGreaterThan(0);
          // A refused `data` object names the field it refuses.
          const parsed = safeParse(body);
          if (json.error.status === 'INVALID_ARGUMENT' && isObject(parsed) && Object.keys(parsed).length === 1 && isObject(parsed.data)) {
            expect(json.error.message, body.slice(0, 200)).toMatch(/^(data|Definition linter failed)|(^|\s)data[.[:]/);
          }
        }),
        { numRuns: RUNS_PER_ENDPOINT },
      );
      console.info(`${path}: ${[...answers].map(([answer, count]) => `${count}× ${answer}`).join(', ')}`);
      // Nothing a body carried reached the process's prototypes.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
    240_000,
  );
});

// PostgreSQL text holds no U+0000, and a lone surrogate has no UTF-8 form: ids that reach Temporal
// with either are refused up front, on the dev server and on the cluster alike (docs/api.md, "Common formats").
describe('ids Temporal cannot store', () => {
  const executionPaths = ['executions/get', 'executions/cancel', 'executions/getEvents'];
  it.each([
    ['U+0000', '\u0000', 'must not contain U+0000 (NUL)'],
    ['a lone surrogate', '\ud800', 'must be well-formed Unicode'],
  ])('an executionId with %s is INVALID_ARGUMENT naming it, on every execution endpoint', async (_name, executionId, message) => {
    for (const path of executionPaths) {
      const { status, json } = await send(`/v2/workflow/${path}`, JSON.stringify({ data: { executionId } }));
      expect([path, status, json.error.status]).toEqual([path, 400, 'INVALID_ARGUMENT']);
      expect(json.error.message).toContain(`data.executionId: ${message}`);
    }
    const step = await send('/v2/workflow/steps/cancel', JSON.stringify({ data: { executionId, stepId: 's', actorId: 'u' } }));
    expect(step.json.error.message).toContain(`data.executionId: ${message}`);
  });

  it('a definition scope id or trigger id with U+0000 is INVALID_ARGUMENT naming it', async () => {
    const scoped = { ...walkthroughDefinition(freshId('nul-scope')), scope: { level: 'organization', organizationId: 'org\u0000' } };
    const scope = await send('/v2/workflow/definitions/create', JSON.stringify({ data: scoped }));
    expect([scope.status, scope.json.error.message]).toEqual([400, 'data.scope.organizationId: must not contain U+0000 (NUL)']);
    const triggered = {
      ...walkthroughDefinition(freshId('nul-trigger')),
      triggers: [{ triggerId: '\u0000', schedule: { cron: '0 2 * * *', timezone: 'UTC', enabled: true } }],
    };
    const trigger = await send('/v2/workflow/definitions/create', JSON.stringify({ data: triggered }));
    expect([trigger.status, trigger.json.error.message]).toEqual([400, 'data.triggers[0].triggerId: must not contain U+0000 (NUL)']);
  });
});

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const safeParse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};
