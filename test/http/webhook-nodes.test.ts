import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, useEngine } from '../support/engine';
import { startReceiver, type Answer, type Received, type TestReceiver } from '../support/receiver';
import {
  allEvents,
  createDefinition,
  dispatch,
  expectError,
  freshId,
  getExecution,
  ok,
  stepOf,
  waitForStep,
  waitForTerminal,
} from '../support/rest-api';

/*
 * Webhook nodes end to end (docs/inbound.md, "Webhook nodes"): real HTTP receivers on loopback,
 * the real API and worker, the real callback route.
 */

const SECRET = 'whsec_nodes_0123456789abcdef';
const engine = useEngine();
const api = engine.admin;

/** Answers per path: each test gets its own path on one receiver. */
const routes = new Map<string, (request: Received, seen: Received[]) => Answer>();
const seenByPath = new Map<string, Received[]>();
let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver((request) => {
    const path = String(request.headers['x-test-path'] ?? '');
    const seen = seenByPath.get(path) ?? [];
    seen.push(request);
    seenByPath.set(path, seen);
    return routes.get(path)?.(request, seen) ?? 404;
  });
});
afterAll(async () => {
  await receiver?.close();
});

/** A path of its own on the receiver, answered by `answer`; returns the node config and what arrived there. */
const route = (answer: (request: Received, seen: Received[]) => Answer) => {
  const path = freshId('route');
  routes.set(path, answer);
  return {
    config: { url: `${receiver.url}${path}`, requestHeaders: { 'x-test-path': path } },
    seen: () => seenByPath.get(path) ?? [],
  };
};

const webhookDefinition = (definitionId: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  definitionId,
  name: 'Webhook node',
  nodes: [
    { nodeId: 'call', type: 'webhook', config, ...extra },
    { nodeId: 'after', type: 'agent', config: { agentId: '__mock__' } },
  ],
  edges: [{ from: 'call', to: 'after', when: JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'completed'] }) }],
});

/** Creates the definition and dispatches it, with the run's webhook secret (events go to a path nobody answers). */
const run = async (config: Record<string, unknown>, extra: Record<string, unknown> = {}, dispatchExtra: Record<string, unknown> = {}) => {
  const definitionId = freshId('hook');
  await createDefinition(api, webhookDefinition(definitionId, config, extra));
  const events = route(() => 204);
  return (
    await dispatch(api, {
      definitionId,
      webhookUrl: events.config.url,
      webhookSecret: SECRET,
      triggerContext: { ticket: 'T-1' },
      ...dispatchExtra,
    })
  ).executionId;
};

const signatureOf = (body: string): string => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

const callback = (url: string, token: string | undefined, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { 'x-velt-callback-token': token }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));

describe('sync webhook nodes', () => {
  it('calls the URL signed with the run secret, folds the answer into the output and completes', async () => {
    const target = route(() => ({ status: 200, body: { accepted: true, id: 'r-1' } }));
    const executionId = await run(target.config);
    const view = await waitForTerminal(api, executionId);
    expect(view.status).toBe('completed');
    const step = stepOf(view, 'call');
    expect(step).toMatchObject({ status: 'completed', output: { httpStatus: 200, responseJson: { accepted: true, id: 'r-1' } } });
    expect(step.output.responseHeaders).toMatchObject({ 'content-type': 'application/json' });
    expect(target.seen()).toHaveLength(1);
    const [request] = target.seen();
    expect(request!.headers['x-velt-signature']).toBe(signatureOf(request!.rawBody));
    expect(JSON.parse(request!.rawBody)).toMatchObject({
      event: 'webhook-node.called',
      executionId,
      stepId: step.stepId,
      nodeId: 'call',
      mode: 'sync',
      triggerContext: { ticket: 'T-1' },
    });
    expect(stepOf(view, 'after').status).toBe('completed');
  });

  it('a 4xx fails the step at once (terminal, one request) and nothing downstream runs', async () => {
    const target = route(() => ({ status: 422, body: { error: 'bad payload' } }));
    const executionId = await run({ ...target.config, authMode: 'none' });
    const view = await waitForTerminal(api, executionId);
    expect(view.status).toBe('failed');
    expect(stepOf(view, 'call')).toMatchObject({
      status: 'failed',
      error: { code: 'webhook-node-http-status' },
      output: { httpStatus: 422 },
    });
    expect(view.steps.some((step) => step.nodeId === 'after')).toBe(false);
    const failed = (await allEvents(api, executionId)).find((event) => event.type === 'step.failed');
    expect(failed?.data).toMatchObject({ httpStatus: 422, retryClass: 'terminal' });
    expect(target.seen()).toHaveLength(1);
    expect(target.seen()[0]!.headers['x-velt-signature']).toBeUndefined();
  });

  it('a 5xx is retried, and the step completes once the receiver recovers', async () => {
    const target = route((_request, seen) => (seen.length < 3 ? 503 : { status: 200, body: { third: 'time' } }));
    const executionId = await run(target.config);
    const view = await waitForTerminal(api, executionId, 60_000);
    expect(view.status).toBe('completed');
    expect(stepOf(view, 'call').output).toMatchObject({ httpStatus: 200, responseJson: { third: 'time' } });
    // Three attempts of one call: the same step, numbered by attempt.
    expect(target.seen().map((request) => request.headers['x-velt-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(target.seen().map((request) => request.headers['x-velt-step-id'])).size).toBe(1);
  });

  it('an authMode "hmac" node in a run without any webhook secret fails, saying what is missing', async () => {
    const target = route(() => 200);
    const definitionId = freshId('nosecret');
    await createDefinition(api, webhookDefinition(definitionId, target.config));
    const { executionId } = await dispatch(api, { definitionId });
    const view = await waitForTerminal(api, executionId);
    expect(stepOf(view, 'call').error).toMatchObject({ code: 'webhook-node-secret-missing' });
    expect(target.seen()).toHaveLength(0);
  });
});

describe('async webhook nodes and the callback route', () => {
  /** Dispatches an async node whose receiver answers 202 and returns the callback details it was sent. */
  const parked = async (config: Record<string, unknown> = {}) => {
    const target = route(() => 202);
    const executionId = await run({ ...target.config, mode: 'async', ...config });
    const { step } = await waitForStep(api, executionId, 'call', 'waiting');
    const request = await eventually(
      () => Promise.resolve(target.seen()[0]),
      (found) => found !== undefined,
    );
    return { executionId, stepId: step.stepId, request: request!, body: JSON.parse(request!.rawBody) };
  };

  it('the envelope carries the callback; a completed callback completes the step with its output', async () => {
    const { executionId, stepId, body } = await parked();
    expect(body.callback.tokenHeader).toBe('x-velt-callback-token');
    expect(body.callback.url).toContain(`/v2/workflow/webhook-inbound/callback/${executionId}/${encodeURIComponent(stepId)}`);
    const answer = await callback(body.callback.url, body.callback.token, { status: 'completed', output: { approvedBy: 'ci' } });
    expect(answer).toEqual({ status: 200, body: { ok: true, stepId, status: 'completed' } });
    const view = await waitForTerminal(api, executionId);
    expect(view.status).toBe('completed');
    expect(stepOf(view, 'call').output).toMatchObject({ approvedBy: 'ci', httpStatus: 202, callbackStatus: 'completed' });
  });

  it('pass-through puts the callback under _velt; a failed callback fails the step with its message', async () => {
    const { executionId, body } = await parked({ bodyTemplate: 'pass-through' });
    expect(body._velt.callbackTokenHeader).toBe('x-velt-callback-token');
    const answer = await callback(body._velt.callbackUrl, body._velt.callbackToken, {
      status: 'failed',
      error: { message: 'build broke' },
    });
    expect(answer.status).toBe(200);
    const view = await waitForTerminal(api, executionId);
    expect(view.status).toBe('failed');
    expect(stepOf(view, 'call').error).toEqual({ code: 'webhook-callback-failed', message: 'build broke' });
  });

  it('refuses forged, missing, foreign and replayed tokens, and bad bodies, with nothing changed in the run', async () => {
    const { executionId, stepId, body } = await parked();
    const other = await parked();
    const { url, token } = body.callback;
    const completed = { status: 'completed' };
    expect(await callback(url, undefined, completed)).toMatchObject({ status: 401, body: { ok: false, code: 'bad-token' } });
    expect(await callback(url, 'f'.repeat(64), completed)).toMatchObject({ status: 401, body: { ok: false, code: 'bad-token' } });
    // A genuine token of another step does not open this one.
    expect(await callback(url, other.body.callback.token, completed)).toMatchObject({ status: 401, body: { code: 'bad-token' } });
    const wrongWorkspace = url.replace(/ws=[^&]+/, 'ws=someone-else');
    expect(await callback(wrongWorkspace, token, completed)).toMatchObject({ status: 401, body: { code: 'bad-token' } });
    const badStatus = await callback(url, token, { status: 'done' });
    expect(badStatus).toMatchObject({ status: 400, body: { ok: false, code: 'invalid-argument' } });
    expect(String(badStatus.body.message)).toMatch(/^body\.status: /);
    expect(await callback(url, token, '{not json')).toMatchObject({
      status: 400,
      body: { code: 'invalid-argument', message: 'body: not valid JSON' },
    });
    const huge = await callback(url, token, { status: 'completed', output: { blob: 'x'.repeat(1024 * 1024 + 10) } });
    expect(huge).toMatchObject({ status: 413, body: { ok: false, code: 'body-too-large' } });
    expect(stepOf(await getExecution(api, executionId), 'call').status).toBe('waiting');

    expect(await callback(url, token, completed)).toMatchObject({ status: 200, body: { ok: true } });
    const replay = await callback(url, token, { status: 'failed' });
    expect(replay).toMatchObject({ status: 409, body: { ok: false, code: 'step-not-waiting' } });
    const view = await waitForTerminal(api, executionId);
    expect(stepOf(view, 'call')).toMatchObject({ stepId, status: 'completed' });
    expect(await callback(url, token, completed)).toMatchObject({ status: 409, body: { code: 'step-not-waiting' } });
    await callback(other.body.callback.url, other.body.callback.token, completed);
  });

  it('a waiting async step can be force-completed', async () => {
    const { executionId, stepId } = await parked();
    ok(await api.post('steps/resolve', { executionId, stepId, action: 'force-complete', actorId: 'ops', output: { manual: true } }));
    const view = await waitForTerminal(api, executionId);
    expect(stepOf(view, 'call').output).toMatchObject({ manual: true });
  });
});

describe('webhook node config at write time', () => {
  it.each([
    [
      { url: 'https://hooks.example.com/x', authMode: 'token' },
      /authTokenHeader: webhook node with authMode="token" requires authTokenHeader to be set/,
    ],
    [{ url: 'https://hooks.example.com/x', bodyTemplate: 'none' }, /bodyTemplate: bodyTemplate "none" requires method "GET"/],
    [
      { url: 'https://hooks.example.com/x', requestHeaders: { 'X-Velt-Signature': 'forged' } },
      /requestHeaders\.X-Velt-Signature: .*reserved header/,
    ],
    [{ url: 'https://hooks.example.com/x', timeoutMs: 500 }, /timeoutMs: Too small/],
    [{ url: 'https://user:pw@hooks.example.com/x' }, /data\.nodes\[0\]\.config\.url must not contain credentials/],
  ])('refuses %j', async (config, message) => {
    const error = expectError(await api.post('definitions/create', webhookDefinition(freshId('bad'), config)), 'INVALID_ARGUMENT', 400);
    expect(error.message).toMatch(message);
  });
});
