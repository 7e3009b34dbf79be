import { ServiceError } from '@temporalio/client';
import { describe, expect, it, vi } from 'vitest';
import { MAX_CALLBACK_BYTES } from '../../../api/routes/webhook-callback';
import { firstVersion, type StoredDefinition } from '../../../src/core/definition';
import { EngineError } from '../../../src/core/errors';
import { sealTriggerSecrets } from '../../../src/core/triggers/trigger-secrets';
import { workspaceIdFor } from '../../../src/infra/auth/workspace-registry';
import { PROVIDER_PRESETS, sign } from '../../../src/infra/inbound/signature';
import type { Logger } from '../../../src/infra/logger';
import { SecretBox } from '../../../src/infra/secrets/secret-box';
import { CALLBACK_TOKEN_HEADER } from '../../../src/infra/webhook-callback-token';
import { canonical } from '../../fixtures/canonical-definitions';
import { walkthroughDefinition } from '../../fixtures/definitions';
import { FakeServices } from '../../support/fake-services';
import { bodyOf, inMemoryApi, inMemoryWorkspaces } from '../../support/in-memory-api';

/*
 * The two routes that answer outside the `{ data }` envelope and the API tokens, in their own
 * `{ ok, code }` shape (docs/inbound.md): the inbound trigger and the async webhook callback.
 */

const workspaces = await inMemoryWorkspaces();
const API_KEY = workspaces.a.admin.apiKey;
const WS = workspaceIdFor(API_KEY);
const EXECUTION_ID = 'exec_1700000000000_abcdefgh';
const secretBox = new SecretBox(Buffer.alloc(32, 9).toString('base64'));

describe('POST /v2/workflow/webhook-inbound/trigger', () => {
  const SECRET = 'github-secret-0123456789';
  const github = {
    provider: 'github',
    authMode: 'hmac',
    secret: SECRET,
    allowedEvents: ['push'],
    idempotencyHeader: 'x-github-delivery',
  } as const;
  const definition: StoredDefinition = firstVersion(
    sealTriggerSecrets(
      canonical({
        ...walkthroughDefinition('on-push'),
        scope: { level: 'organization', organizationId: 'org-1' },
        triggers: [{ triggerId: 'ci', inboundWebhook: github }],
      }),
      null,
      (secret) => secretBox.seal(secret),
    ),
    1_000,
  );
  const delivering = (fake = new FakeServices({ secretBox })) => fake.answer('definitions', 'get', () => Promise.resolve(definition));

  const TRIGGER = 'definitionId=on-push&triggerId=ci';
  const deliver = (fake: FakeServices, body: string, headers: Record<string, string> = {}) =>
    inMemoryApi({ workspaces, fake }).app.request(`/v2/workflow/webhook-inbound/trigger?${TRIGGER}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-velt-api-key': API_KEY, ...headers },
      body,
    });
  const signed = (body: string, event = 'push') => ({
    'x-github-event': event,
    'x-github-delivery': 'delivery-7',
    'x-hub-signature-256': sign(PROVIDER_PRESETS.github, SECRET, Buffer.from(body)),
  });
  const PUSH = JSON.stringify({ ref: 'refs/heads/main', after: 'abc123' });

  it('a signed delivery dispatches the definition with the payload, a stable idempotency key and the definition’s scope', async () => {
    const fake = delivering().answer('dispatcher', 'dispatch', () =>
      Promise.resolve({ executionId: EXECUTION_ID, correlationId: 'corr-1', deduplicated: false }),
    );
    const response = await deliver(fake, PUSH, signed(PUSH));
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({ ok: true, code: 'accepted', executionId: EXECUTION_ID, deduplicated: false });
    expect(fake.calls).toEqual([
      { call: 'definitions.get', args: [WS, 'on-push'] },
      {
        call: 'dispatcher.dispatch',
        args: [
          WS,
          {
            definitionId: 'on-push',
            triggerContext: { ref: 'refs/heads/main', after: 'abc123' },
            idempotencyKey: 'trig:on-push:ci:delivery-7',
            organizationId: 'org-1',
          },
        ],
      },
    ]);
  });

  it.each([
    ['no API key', {}, 'definitionId=on-push&triggerId=ci', 401, 'missing-api-key', false],
    ['an unknown API key', { 'x-velt-api-key': 'key-nobody' }, 'definitionId=on-push&triggerId=ci', 401, 'unknown-api-key', false],
    ['no trigger id', { 'x-velt-api-key': API_KEY }, 'definitionId=on-push', 400, 'missing-trigger-id', false],
    ['an unknown trigger', { 'x-velt-api-key': API_KEY }, 'definitionId=on-push&triggerId=cd', 404, 'unknown-trigger', true],
    ['a bad signature', { 'x-velt-api-key': API_KEY, 'x-hub-signature-256': 'sha256=00' }, TRIGGER, 401, 'bad-signature', true],
    ['an event the trigger does not allow', { 'x-velt-api-key': API_KEY, 'x-github-event': 'issues' }, TRIGGER, 200, 'event-ignored', true],
  ])('%s is answered in the route’s own shape without a dispatch', async (_name, headers, query, status, code, asked) => {
    const fake = delivering();
    const response = await inMemoryApi({ workspaces, fake }).app.request(`/v2/workflow/webhook-inbound/trigger?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed(PUSH), ...headers },
      body: PUSH,
    });
    expect(response.status).toBe(status);
    expect(await bodyOf(response)).toMatchObject({ ok: false, code });
    expect(fake.callsOf('dispatcher.dispatch')).toEqual([]);
    expect(fake.callsOf('definitions.get')).toHaveLength(asked ? 1 : 0);
  });

  it('a body over 1 MiB is 413 before anything is read', async () => {
    const fake = delivering();
    const response = await deliver(fake, `{"pad":"${'x'.repeat(1024 * 1024)}"}`);
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await bodyOf(response)).toEqual({ ok: false, code: 'body-too-large', message: 'the body exceeds the 1 MiB limit' });
    expect(fake.calls).toEqual([]);
  });

  it('a dispatch refusal keeps its code; Temporal unreachable is 503; anything else is 500 without its message', async () => {
    const refusing = delivering().answer('dispatcher', 'dispatch', () =>
      Promise.reject(new EngineError('FAILED_PRECONDITION', 'definition on-push has no root node')),
    );
    const refused = await deliver(refusing, PUSH, signed(PUSH));
    expect(refused.status).toBe(409);
    expect(await bodyOf(refused)).toEqual({ ok: false, code: 'failed-precondition', message: 'definition on-push has no root node' });

    const unavailable = delivering().answer('dispatcher', 'dispatch', () =>
      Promise.reject(
        new ServiceError('down', { cause: Object.assign(new Error('14 UNAVAILABLE: refused'), { code: 14, details: 'refused' }) }),
      ),
    );
    const down = await deliver(unavailable, PUSH, signed(PUSH));
    expect(down.status).toBe(503);
    expect(await bodyOf(down)).toEqual({ ok: false, code: 'unavailable', message: 'Temporal is unavailable; retry later' });

    const error = vi.fn();
    const broken = delivering().answer('dispatcher', 'dispatch', () => Promise.reject(new Error('secret internals')));
    const failed = await inMemoryApi({ workspaces, fake: broken, logger: { error } as unknown as Logger }).app.request(
      '/v2/workflow/webhook-inbound/trigger?definitionId=on-push&triggerId=ci',
      { method: 'POST', headers: { 'x-velt-api-key': API_KEY, ...signed(PUSH) }, body: PUSH },
    );
    expect(failed.status).toBe(500);
    expect(await bodyOf(failed)).toEqual({ ok: false, code: 'internal', message: 'internal error' });
    expect(error).toHaveBeenCalledTimes(1);
  });
});

describe('POST /v2/workflow/webhook-inbound/callback/{executionId}/{stepId}', () => {
  const STEP_ID = `${EXECUTION_ID}:call:1`;
  const TOKEN = 'a'.repeat(64);
  const path = (ws: string | null = WS, step = STEP_ID) =>
    `/v2/workflow/webhook-inbound/callback/${EXECUTION_ID}/${encodeURIComponent(step)}${ws === null ? '' : `?ws=${ws}`}`;
  const callBack = (fake: FakeServices, body: string, target = path(), logger?: Logger) =>
    inMemoryApi({ workspaces, fake, ...(logger ? { logger } : {}) }).app.request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CALLBACK_TOKEN_HEADER]: TOKEN },
      body,
    });

  it('passes the workspace, ids, token and body to the callbacks service and answers the step’s new status', async () => {
    const fake = new FakeServices().answer('callbacks', 'receive', () =>
      Promise.resolve({ kind: 'accepted', reply: { stepId: STEP_ID, status: 'completed' } } as never),
    );
    const response = await callBack(fake, JSON.stringify({ status: 'completed', output: { verdict: 'ok' } }));
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({ ok: true, stepId: STEP_ID, status: 'completed' });
    expect(fake.calls).toEqual([
      { call: 'callbacks.receive', args: [WS, EXECUTION_ID, TOKEN, { stepId: STEP_ID, status: 'completed', output: { verdict: 'ok' } }] },
    ]);
  });

  it.each([
    [
      'no workspace',
      '{"status":"completed"}',
      path(null),
      400,
      'invalid-argument',
      'ws: required query parameter (use the callback URL exactly as the engine sent it)',
    ],
    ['malformed JSON', '{"status":', path(), 400, 'invalid-argument', 'body: not valid JSON'],
    ['a wrong status', '{"status":"done"}', path(), 400, 'invalid-argument', /^body\.status: /],
    ['an unknown field', '{"status":"completed","extra":1}', path(), 400, 'invalid-argument', /extra/],
    [
      'a step id over 512 characters',
      '{"status":"completed"}',
      path(WS, 'x'.repeat(513)),
      400,
      'invalid-argument',
      'executionId/stepId: must be 1-512 characters, well-formed Unicode without U+0000',
    ],
    ['a step id with U+0000 (%00)', '{"status":"completed"}', path(WS, 'step\u0000'), 400, 'invalid-argument', /^executionId\/stepId: /],
  ])('%s is refused before the service is asked', async (_name, body, target, status, code, message) => {
    const fake = new FakeServices();
    const response = await callBack(fake, body, target);
    expect(response.status).toBe(status);
    const reply = (await bodyOf(response)) as { ok: boolean; code: string; message: string };
    expect(reply).toMatchObject({ ok: false, code });
    expect(reply.message).toMatch(message);
    expect(fake.calls).toEqual([]);
  });

  it('a workspace this engine does not know is 401 bad-token, and nothing is looked up', async () => {
    const fake = new FakeServices();
    const response = await callBack(fake, '{"status":"completed"}', path('ws_unknown'));
    expect(response.status).toBe(401);
    expect(await bodyOf(response)).toMatchObject({ ok: false, code: 'bad-token' });
    expect(fake.calls).toEqual([]);
  });

  it("with rate limits, a workspace's callbacks have a budget of their own: 429 rate-limited with Retry-After, nothing looked up", async () => {
    const fake = new FakeServices().answer('callbacks', 'receive', () =>
      Promise.resolve({ kind: 'accepted', reply: { stepId: STEP_ID, status: 'completed' } } as never),
    );
    const api = inMemoryApi({ workspaces, fake, rateLimit: { perMinute: 60, burst: 1, now: () => 0 } });
    const send = () =>
      api.app.request(path(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CALLBACK_TOKEN_HEADER]: TOKEN },
        body: '{"status":"completed"}',
      });
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await bodyOf(limited)).toEqual({
      ok: false,
      code: 'rate-limited',
      message: 'callbacks to this workspace are limited to 60 per minute (bursts of 1); retry after 1 s',
    });
    expect(fake.callsOf('callbacks.receive')).toHaveLength(1);
    // The workspace's API calls keep their own bucket (refused here by validation, not by the limit).
    expect((await api.post('/v2/workflow/definitions/get', {})).status).toBe(400);
  });

  it('a body over 1 MiB is 413', async () => {
    const response = await callBack(new FakeServices(), `{"status":"completed","output":{"pad":"${'x'.repeat(MAX_CALLBACK_BYTES)}"}}`);
    expect(response.status).toBe(413);
    expect(await bodyOf(response)).toMatchObject({ ok: false, code: 'body-too-large' });
  });

  it.each([
    ['a token the step did not issue', () => Promise.resolve({ kind: 'bad-token' } as const), 401, 'bad-token'],
    [
      'a step that no longer waits',
      () => Promise.reject(new EngineError('FAILED_PRECONDITION', 'step is not waiting')),
      409,
      'step-not-waiting',
    ],
    ['an unknown step', () => Promise.reject(new EngineError('NOT_FOUND', 'step x not found')), 404, 'unknown-step'],
    [
      'Temporal unreachable',
      () => Promise.reject(new ServiceError('down', { cause: Object.assign(new Error('14 UNAVAILABLE'), { code: 14, details: '' }) })),
      503,
      'unavailable',
    ],
  ])('%s is %i %s', async (_name, outcome, status, code) => {
    const fake = new FakeServices().answer('callbacks', 'receive', outcome);
    const response = await callBack(fake, '{"status":"failed","error":{"reason":"no"}}');
    expect(response.status).toBe(status);
    expect(await bodyOf(response)).toMatchObject({ ok: false, code });
  });

  it('anything unexpected is 500 with a generic message, the detail only in the log', async () => {
    const error = vi.fn();
    const fake = new FakeServices().answer('callbacks', 'receive', () => Promise.reject(new Error('db password hunter2')));
    const response = await callBack(fake, '{"status":"completed"}', path(), { error } as unknown as Logger);
    expect(response.status).toBe(500);
    expect(await bodyOf(response)).toEqual({ ok: false, code: 'internal', message: 'internal error' });
    expect(error).toHaveBeenCalledTimes(1);
  });
});
