import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually, useEngine } from '../support/engine';
import { createDefinition, expectError, freshId, ok, stepOf, waitForStatus } from '../support/rest-api';
import { testApiKeys } from '../support/test-workspaces';

/*
 * Inbound triggers over HTTP (docs/inbound.md, "Inbound triggers"): deliveries signed as GitHub and
 * Velt sign them start runs through a real worker; every refusal starts nothing.
 */

const engine = useEngine();
const { admin } = engine;

type Json = Record<string, any>;

const SECRET = 'github-webhook-secret-0123456789';
const TRIGGER_PATH = '/v2/workflow/webhook-inbound/trigger';

const apiKey = (): string => testApiKeys(engine.taskQueue.slice(-8)).a;

const definitionWith = (definitionId: string, triggers: Json[]): Json => ({
  definitionId,
  name: 'CI review',
  nodes: [{ nodeId: 'scan', type: 'agent', config: { agentId: '__mock__', urlPath: 'source.repository.html_url' } }],
  edges: [],
  triggers,
});

const githubTrigger = (extra: Json = {}): Json => ({
  triggerId: 'ci-build',
  inboundWebhook: {
    authMode: 'hmac',
    secret: SECRET,
    provider: 'github',
    allowedEvents: ['workflow_run', 'push'],
    idempotencyHeader: 'x-github-delivery',
    payloadMapping: 'wrap',
    ...extra,
  },
});

const githubBody = (runId: number): string =>
  JSON.stringify({
    action: 'completed',
    workflow_run: { id: runId },
    repository: { full_name: 'acme/site', html_url: 'https://github.com/acme/site' },
  });

const sign = (body: string, secret = SECRET): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

interface Delivery {
  body: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

/** A raw POST as GitHub sends it: no token, no `{ data }` envelope. */
const deliver = async ({ body, headers = {}, query = {} }: Delivery): Promise<{ status: number; body: Json }> => {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${engine.baseUrl}${TRIGGER_PATH}${search ? `?${search}` : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
};

const github = (definitionId: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> =>
  deliver({
    body,
    query: { apiKey: apiKey(), definitionId, triggerId: 'ci-build' },
    headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': freshId('delivery'), 'x-hub-signature-256': sign(body), ...headers },
  });

const runsOf = async (definitionId: string): Promise<Json[]> =>
  ok<{ items: Json[] }>(await admin.post('executions/list', { definitionId })).items;

/** Visibility lags; give a wrongly started run the time to show up before asserting there is none. */
const expectNoRuns = async (definitionId: string): Promise<void> => {
  const runs = await eventually(
    () => runsOf(definitionId),
    (items) => items.length > 0,
    1500,
  );
  expect(runs).toEqual([]);
};

describe('a GitHub-signed delivery', () => {
  it('starts a run whose triggerContext is the mapped payload', async () => {
    const definitionId = freshId('gh');
    await createDefinition(admin, definitionWith(definitionId, [githubTrigger()]));
    const answer = await github(definitionId, githubBody(1));
    expect(answer).toMatchObject({ status: 200, body: { ok: true, code: 'accepted', deduplicated: false } });
    const view = await waitForStatus(admin, answer.body.executionId, 'completed');
    expect(view.definitionId).toBe(definitionId);
    // payloadMapping "wrap": the body sits under `source`, where the agent's urlPath reads it.
    expect(stepOf(view, 'scan').output.resolvedUrl).toBe('https://github.com/acme/site');
  });

  it('is one run however often the same delivery id arrives', async () => {
    const definitionId = freshId('gh');
    await createDefinition(admin, definitionWith(definitionId, [githubTrigger()]));
    const body = githubBody(2);
    const headers = { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' };
    const first = await github(definitionId, body, headers);
    const second = await github(definitionId, body, headers);
    expect(first.body).toMatchObject({ ok: true, deduplicated: false });
    expect(second).toEqual({ status: 200, body: { ok: true, code: 'accepted', executionId: first.body.executionId, deduplicated: true } });
    const view = await waitForStatus(admin, first.body.executionId, 'completed');
    expect(view.idempotencyKey).toBe(`trig:${definitionId}:ci-build:72d3162e-cc78-11e3-81ab-4c9367dc0958`);
    const runs = await eventually(
      () => runsOf(definitionId),
      (items) => items.length > 0,
    );
    expect(runs.map((run) => run.executionId)).toEqual([first.body.executionId]);
    // A new delivery id is a new run.
    const third = await github(definitionId, body);
    expect(third.body.executionId).not.toBe(first.body.executionId);
  });

  it('is refused, and starts nothing, when forged, unsigned, filtered or unknown', async () => {
    const definitionId = freshId('gh');
    await createDefinition(admin, definitionWith(definitionId, [githubTrigger()]));
    const body = githubBody(3);
    const badSignature = { ok: false, code: 'bad-signature', message: expect.any(String) };

    expect(await github(definitionId, body, { 'x-hub-signature-256': sign(body, 'someone-elses-secret-000') })).toEqual({
      status: 401,
      body: badSignature,
    });
    expect(await github(definitionId, `${body} `, { 'x-hub-signature-256': sign(body) })).toEqual({ status: 401, body: badSignature });
    expect(
      await deliver({
        body,
        query: { apiKey: apiKey(), definitionId, triggerId: 'ci-build' },
        headers: { 'x-github-event': 'workflow_run' },
      }),
    ).toEqual({ status: 401, body: badSignature });
    expect(await github(definitionId, body, { 'x-github-event': 'issues' })).toEqual({
      status: 200,
      body: { ok: false, code: 'event-ignored', message: expect.any(String) },
    });
    expect(
      await deliver({
        body,
        query: { apiKey: apiKey(), definitionId, triggerId: 'ci-build' },
        headers: { 'x-hub-signature-256': sign(body) },
      }),
    ).toMatchObject({ status: 200, body: { code: 'event-ignored' } });
    expect(
      await deliver({ body, query: { apiKey: apiKey(), definitionId, triggerId: 'nope' }, headers: { 'x-hub-signature-256': sign(body) } }),
    ).toMatchObject({ status: 404, body: { ok: false, code: 'unknown-trigger' } });
    expect(
      await deliver({
        body,
        query: { apiKey: apiKey(), definitionId: 'no-such-def', triggerId: 'ci-build' },
        headers: { 'x-hub-signature-256': sign(body) },
      }),
    ).toMatchObject({ status: 404, body: { ok: false, code: 'unknown-trigger' } });
    expect(await deliver({ body, query: { definitionId, triggerId: 'ci-build' } })).toMatchObject({
      status: 401,
      body: { ok: false, code: 'missing-api-key' },
    });
    expect(await deliver({ body, query: { apiKey: 'not-a-key', definitionId, triggerId: 'ci-build' } })).toMatchObject({
      status: 401,
      body: { ok: false, code: 'unknown-api-key' },
    });
    // Another workspace's key does not reach this workspace's definition.
    const otherKey = testApiKeys(engine.taskQueue.slice(-8)).b;
    expect(
      await deliver({
        body,
        query: { apiKey: otherKey, definitionId, triggerId: 'ci-build' },
        headers: { 'x-hub-signature-256': sign(body) },
      }),
    ).toMatchObject({ status: 404, body: { code: 'unknown-trigger' } });

    const huge = JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) });
    expect(await github(definitionId, huge)).toMatchObject({ status: 413, body: { ok: false, code: 'body-too-large' } });
    await expectNoRuns(definitionId);
  });
});

describe('a velt delivery', () => {
  it('takes its ids from the body, a bearer secret, and the payload as triggerContext', async () => {
    const definitionId = freshId('velt');
    await createDefinition(admin, {
      ...definitionWith(definitionId, [
        {
          triggerId: 'publish',
          inboundWebhook: { authMode: 'bearer', secret: SECRET, allowedEvents: ['doc.published'], idempotencyBodyPath: 'payload.id' },
        },
      ]),
      nodes: [{ nodeId: 'scan', type: 'agent', config: { agentId: '__mock__', urlPath: 'page.url' } }],
    });
    const body = JSON.stringify({
      definitionId,
      triggerId: 'publish',
      type: 'doc.published',
      payload: { id: 'evt_1', page: { url: 'https://docs.example/a' } },
    });
    const headers = { 'x-velt-api-key': apiKey(), authorization: `Bearer ${SECRET}` };
    const answer = await deliver({ body, headers });
    expect(answer.body).toMatchObject({ ok: true, code: 'accepted', deduplicated: false });
    const view = await waitForStatus(admin, answer.body.executionId, 'completed');
    expect(stepOf(view, 'scan').output.resolvedUrl).toBe('https://docs.example/a');
    expect((await deliver({ body, headers })).body).toMatchObject({ executionId: answer.body.executionId, deduplicated: true });
    expect(await deliver({ body, headers: { ...headers, authorization: 'Bearer wrong-secret-0000000000' } })).toMatchObject({
      status: 401,
      body: { code: 'bad-signature' },
    });
    expect(await deliver({ body: 'not json', query: { definitionId, triggerId: 'publish' }, headers })).toMatchObject({
      status: 400,
      body: { ok: false, code: 'invalid-json' },
    });
  });
});

describe('the definition side', () => {
  it('never shows the secret, keeps it across an update that omits it, and requires it on create', async () => {
    const definitionId = freshId('gh');
    const created = await createDefinition(admin, definitionWith(definitionId, [githubTrigger()]));
    const read = ok(await admin.post('definitions/get', { definitionId }));
    for (const view of [created, read]) {
      expect(JSON.stringify(view)).not.toContain(SECRET);
      expect(view.triggers[0].inboundWebhook).not.toHaveProperty('secret');
    }
    // The view sent back (as a G2 partial update) keeps the stored secret.
    const { version, createdAt: _c, updatedAt: _u, status: _s, compiled: _compiled, ...rest } = read;
    ok(await admin.post('definitions/update', { ...rest, name: 'CI review v2', ifVersion: version }));
    const body = githubBody(4);
    expect((await github(definitionId, body)).body).toMatchObject({ ok: true, code: 'accepted' });

    const missing = await admin.post('definitions/create', definitionWith(freshId('gh'), [githubTrigger({ secret: undefined })]));
    expect(expectError(missing, 'INVALID_ARGUMENT', 400).message).toBe(
      'data.triggers[0].inboundWebhook.secret: required (16 to 512 characters)',
    );
  });

  it('refuses an appTrigger and stores nothing', async () => {
    const definitionId = freshId('app');
    const response = await admin.post(
      'definitions/create',
      definitionWith(definitionId, [
        { triggerId: 'gh', appTrigger: { provider: 'github', installationRef: '41234567', allowedEvents: ['push'] } },
      ]),
    );
    expect(expectError(response, 'FAILED_PRECONDITION', 400).message).toBe(
      'appTrigger requires a connected GitHub App / Vercel integration, which this engine does not provide',
    );
    expectError(await admin.post('definitions/get', { definitionId }), 'NOT_FOUND', 404);
  });
});
