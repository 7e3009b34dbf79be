import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../api/app';
import { MAX_JSON_DEPTH } from '../../../src/core/json-depth';
import { FakeServices } from '../../support/fake-services';
import { bodyOf, inMemoryApi, inMemoryWorkspaces } from '../../support/in-memory-api';

/*
 * How the API reads `{ "data": { ... } }` (docs/api.md, "Envelope"): every malformed request is
 * INVALID_ARGUMENT naming the field, answered before any service is reached.
 */

const workspaces = await inMemoryWorkspaces();
const { a } = workspaces;
const PATH = '/v2/workflow/executions/get';
const EXECUTION_ID = 'exec_1700000000000_abcdefgh';

const send = (body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }, fake?: FakeServices) =>
  inMemoryApi({ workspaces, ...(fake ? { fake } : {}) }).app.request(PATH, {
    method: 'POST',
    headers: { 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': a.admin.authToken, ...headers },
    body,
  });

const refusal = (message: string) => ({ error: { status: 'INVALID_ARGUMENT', message } });

describe('the request envelope', () => {
  it.each([
    ['malformed JSON', '{"data": {', 'request body is not valid JSON'],
    ['an empty body', '', 'request body is not valid JSON'],
    ['a JSON array', '[{"data": {}}]', 'request body must be a JSON object { "data": { ... } }'],
    ['a JSON string', '"data"', 'request body must be a JSON object { "data": { ... } }'],
    ['null', 'null', 'request body must be a JSON object { "data": { ... } }'],
    ['no data', '{}', 'data: required (wrap the request in { "data": { ... } })'],
    [
      'fields beside data',
      `{"data": {"executionId": "${EXECUTION_ID}"}, "apiKey": "k", "x": 1}`,
      'apiKey, x: unknown top-level field (only "data" is allowed)',
    ],
    ['data null', '{"data": null}', 'data: must be an object'],
    ['data an array', '{"data": []}', 'data: must be an object'],
    ['data a string', '{"data": "exec_1"}', 'data: must be an object'],
  ])('%s is INVALID_ARGUMENT', async (_name, body, message) => {
    const response = await send(body);
    expect(response.status).toBe(400);
    expect(await bodyOf(response)).toEqual(refusal(message));
  });

  it(`a body nested deeper than ${MAX_JSON_DEPTH} levels is refused before anything walks it`, async () => {
    const deep = `{"data": {"executionId": ${'['.repeat(MAX_JSON_DEPTH + 5)}${']'.repeat(MAX_JSON_DEPTH + 5)}}}`;
    const response = await send(deep);
    expect(response.status).toBe(400);
    const { error } = (await bodyOf(response)) as { error: { status: string; message: string } };
    expect(error.status).toBe('INVALID_ARGUMENT');
    // The path is cut after a few segments.
    expect(error.message).toBe(
      `data.executionId[0][0][0][0][0][0]…: nested too deeply (at most ${MAX_JSON_DEPTH} levels of arrays and objects in a request body)`,
    );
  });

  it('a body over 1 MiB is INVALID_ARGUMENT and the connection is not kept', async () => {
    const padding = 'x'.repeat(MAX_BODY_BYTES);
    const response = await send(JSON.stringify({ data: { executionId: EXECUTION_ID, padding } }));
    expect(response.status).toBe(400);
    expect(response.headers.get('connection')).toBe('close');
    expect(await bodyOf(response)).toEqual(refusal('request body exceeds the 1 MiB limit'));
  });

  it('a body just under 1 MiB is read (and then refused by the schema, naming the field)', async () => {
    const body = JSON.stringify({ data: { executionId: EXECUTION_ID, padding: '' } });
    const padded = body.replace('"padding":""', `"padding":"${'x'.repeat(MAX_BODY_BYTES - body.length)}"`);
    expect(padded.length).toBe(MAX_BODY_BYTES);
    const response = await send(padded);
    expect(response.status).toBe(400);
    expect(((await bodyOf(response)) as { error: { message: string } }).error.message).toMatch(/^data\.padding: /);
  });

  // Clients that send text/plain (or no content type) keep working: the body is JSON or refused as such.
  it.each<Record<string, string>>([{ 'content-type': 'text/plain' }, {}, { 'content-type': 'application/x-www-form-urlencoded' }])(
    'the body is read as JSON whatever the content type says (%j)',
    async (headers) => {
      const fake = new FakeServices().answer('executions', 'get', () => Promise.resolve({ executionId: EXECUTION_ID } as never));
      const accepted = await send(JSON.stringify({ data: { executionId: EXECUTION_ID } }), headers, fake);
      expect(accepted.status).toBe(200);
      expect(fake.callsOf('executions.get')).toHaveLength(1);
      const refused = await send('executionId=exec_1', headers);
      expect(await bodyOf(refused)).toEqual(refusal('request body is not valid JSON'));
    },
  );
});

describe('schema failures name the field', () => {
  const post = (data: unknown) => inMemoryApi({ workspaces }).post(PATH, data);
  type Refusal = { error: { status: string; message: string; details: { violations: string[]; issues: { path: unknown[] }[] } } };

  it('a missing field', async () => {
    const response = await post({});
    expect(response.status).toBe(400);
    const { error } = (await bodyOf(response)) as Refusal;
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^data\.executionId: /);
    expect(error.details.violations[0]).toBe(error.message);
    expect(error.details.issues).toEqual([expect.objectContaining({ path: ['executionId'] })]);
  });

  it('a wrong type, an unknown field: every problem listed, the first one is the message', async () => {
    const { error } = (await bodyOf(await post({ executionId: 42, extra: true }))) as Refusal;
    expect(error.message).toMatch(/^data\.executionId: /);
    expect(error.details.violations).toHaveLength(2);
    expect(error.details.violations.join('\n')).toMatch(/extra/);
  });

  it('a nested field is named by its whole path', async () => {
    const response = await inMemoryApi({ workspaces }).post('/v2/workflow/definitions/create', {
      definitionId: 'nested-path',
      name: 'n',
      nodes: [{ nodeId: 'a', type: 'human', config: { reviewers: [{ userId: 7 }] } }],
      edges: [],
    });
    expect(response.status).toBe(400);
    const { error } = (await bodyOf(response)) as Refusal;
    expect(error.message).toMatch(/^data\.nodes\[0\]\.config\.reviewers\[0\]\.userId: /);
  });
});
