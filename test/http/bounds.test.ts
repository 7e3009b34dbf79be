import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockAgent } from '../fixtures/execution-definitions';
import { POISON_PATTERN, poisonSubject } from '../fixtures/costly-expressions';
import { createAndDispatch, createDefinition, dispatch, expectError, freshId, ok, stepOf, waitForStatus } from '../support/rest-api';
import { startEngine, type Caller, type RunningEngine } from '../support/engine';

let engine: RunningEngine;
let admin: Caller;

beforeAll(async () => {
  engine = await startEngine();
  admin = engine.admin;
});
afterAll(async () => {
  await engine?.close();
});

const json = (ast: unknown): string => JSON.stringify(ast);
const gatedPair = (definitionId: string, when: string) => ({
  definitionId,
  name: 'Gated pair',
  nodes: [mockAgent('a'), mockAgent('b')],
  edges: [{ from: 'a', to: 'b', when }],
});

/** Sends raw JSON text, for bodies no JSON.stringify can build (it overflows at these depths). */
const postText = (path: string, body: string) => admin.raw(`/v2/workflow/${path}`, { body });
const deepArray = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
/** An object `levels` deep: {"k":{"k":…{}}}. */
const deepObject = (levels: number): string => `${'{"k":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

describe('a `when` over its limits fails its run with a documented code; the worker keeps serving', () => {
  it.each([
    ['the poison pattern of the issue (over the 2,000-instruction cap)', POISON_PATTERN, /compiles to 3,001 instructions \(max 2,000\)/],
    ['the same shape under the cap (over the per-evaluation work budget)', '(?:[ab]{0,499}a)[ab]{499}y', /allowed per evaluation$/],
  ])('%s, taken from the trigger context against 255 KB', async (_name, pattern, detail) => {
    const id = freshId('poison');
    const when = json({ op: 'regex', args: [{ var: 'execution.input.text' }, { var: 'execution.input.pattern' }] });
    const executionId = await createAndDispatch(admin, gatedPair(id, when), { triggerContext: { text: poisonSubject(255_000), pattern } });
    const view = await waitForStatus(admin, executionId, 'failed');
    const a = stepOf(view, 'a');
    expect(a.status).toBe('completed');
    expect(view.steps.map((step) => step.nodeId)).toEqual(['a']);
    expect(view.failureReason?.code).toBe('when-limit-exceeded');
    expect(view.failureReason?.message).toMatch(
      new RegExp(`^edge a -> b \\(from step ${a.stepId}\\): when exceeded its evaluation limits: `),
    );
    expect(view.failureReason?.message).toMatch(detail);

    // The same worker still runs the next dispatch to the end.
    const healthy = await createAndDispatch(admin, gatedPair(freshId('after-poison'), json({ op: 'eq', args: [1, 1] })));
    expect((await waitForStatus(admin, healthy, 'completed')).steps.map((step) => step.nodeId)).toEqual(['a', 'b']);
  });

  it('refuses the poison pattern written into a definition, naming the field', async () => {
    const response = await admin.post(
      'definitions/create',
      gatedPair(freshId('poison-literal'), json({ op: 'regex', args: [{ var: 'output.text' }, POISON_PATTERN] })),
    );
    const error = expectError(response, 'INVALID_ARGUMENT', 400);
    expect(error.message).toBe(
      `data.edges[0].when: regex pattern ${JSON.stringify(POISON_PATTERN)} compiles to 3,001 instructions (max 2,000); lower its counted repetitions ({n,m})`,
    );
    expect(error.details.violations[0].code).toBe('invalid-when');
  });
});

describe('JSON nested deeper than 64 levels is INVALID_ARGUMENT naming the field, at any depth', () => {
  const definitionId = freshId('depth');
  beforeAll(async () => {
    await createDefinition(admin, gatedPair(definitionId, json({ op: 'eq', args: [1, 1] })));
  });

  it.each([
    [
      'dispatch triggerContext',
      'executions/dispatch',
      (deep: string) => `{"data":{"definitionId":"${definitionId}","triggerContext":{"deep":${deep}}}}`,
      'data.triggerContext.deep',
    ],
    [
      'definition inputMapping',
      'definitions/create',
      (deep: string) =>
        `{"data":{"definitionId":"deep-mapping","name":"x","nodes":[{"nodeId":"a","type":"agent","config":{"agentId":"__mock__","inputMapping":{"x":${deep}}}}],"edges":[]}}`,
      'data.nodes[0].config.inputMapping',
    ],
    [
      'definition custom',
      'definitions/create',
      (deep: string) => `{"data":{"definitionId":"deep-custom","custom":${deep}}}`,
      'data.custom',
    ],
    [
      'resolution output',
      'steps/recordAgentResolution',
      (deep: string) =>
        `{"data":{"executionId":"exec_1_aaaaaaaa","stepId":"s","resolutionId":"r","status":"success","output":{"x":${deep}}}}`,
      'data.output.x',
    ],
    [
      'resolve output',
      'steps/resolve',
      (deep: string) =>
        `{"data":{"executionId":"exec_1_aaaaaaaa","stepId":"s","action":"force-complete","actorId":"u","output":{"x":${deep}}}}`,
      'data.output.x',
    ],
  ])('%s', async (_name, path, body, field) => {
    for (const levels of [6_000, 200_000]) {
      const error = expectError(await postText(path, body(deepArray(levels))), 'INVALID_ARGUMENT', 400);
      expect(error.message.startsWith(field), error.message).toBe(true);
      expect(error.message).toMatch(/: nested too deeply \(at most 64 levels of arrays and objects in a request body\)$/);
    }
  });

  it('accepts 64 levels (the envelope counting as one) and refuses 65', async () => {
    // Levels: the body {…} 1, data 2, triggerContext 3, so its value may nest 61 more.
    const at = await postText(
      'executions/dispatch',
      `{"data":{"definitionId":"${definitionId}","triggerContext":{"deep":${deepObject(61)}}}}`,
    );
    const { executionId } = ok<{ executionId: string }>(at);
    expect((await waitForStatus(admin, executionId, 'completed')).status).toBe('completed');
    const over = await postText(
      'executions/dispatch',
      `{"data":{"definitionId":"${definitionId}","triggerContext":{"deep":${deepObject(62)}}}}`,
    );
    expect(expectError(over, 'INVALID_ARGUMENT', 400).message).toMatch(/^data\.triggerContext\.deep\.k\.k\.k\.k\.k…: nested too deeply/);
  });
});

describe('a definition over 1 MiB once stored is refused before it reaches Temporal', () => {
  it('names the limit', async () => {
    let infix = 'output.a0 == 1';
    for (let i = 1; infix.length < 3980; i += 1) infix += ` || output.a${i} == 1`;
    const nodes = Array.from({ length: 40 }, (_, i) => mockAgent(`n${i}`));
    const edges = nodes.flatMap((_, i) => nodes.slice(i + 1).map((to) => ({ from: `n${i}`, to: to.nodeId, when: infix }))).slice(0, 250);
    const input = { definitionId: freshId('too-large'), name: 'Too large once stored', nodes, edges };
    expect(JSON.stringify({ data: input }).length).toBeLessThan(1024 * 1024);
    const error = expectError(await admin.post('definitions/create', input), 'INVALID_ARGUMENT', 400);
    expect(error.message).toMatch(
      /^data: the definition takes [\d,]+ bytes once stored \(canonical JSON, UTF-8\), over the 1,048,576-byte limit$/,
    );
    expect(error.details.violations).toEqual([{ code: 'definition-too-large', message: error.message }]);
    // Nothing was stored, so dispatching it is NOT_FOUND.
    expectError(await admin.post('executions/dispatch', { definitionId: input.definitionId }), 'NOT_FOUND', 404);
  });
});

describe('dispatch still works for a large but allowed trigger context', () => {
  it('256 KiB of trigger context runs', async () => {
    const definitionId = freshId('big-context');
    await createDefinition(admin, gatedPair(definitionId, json({ op: 'startsWith', args: [{ var: 'execution.input.text' }, 'y'] })));
    const { executionId } = await dispatch(admin, { definitionId, triggerContext: { text: poisonSubject(262_000) } });
    expect((await waitForStatus(admin, executionId, 'completed')).steps.map((step) => step.nodeId)).toEqual(['a', 'b']);
  });
});
