import { describe, expect, it } from 'vitest';
import type { CanonicalWebhookNode } from '../../../src/core/definition';
import type { CallWebhook } from '../../../src/core/interpreter';
import { checkWebhookCallback } from '../../../src/core/interpreter';
import { agent, breachedGate, def, edge, expectEngineError, passed, Run, statusGate } from './harness';

const webhook = (
  nodeId: string,
  config: Record<string, unknown> = {},
  extra: Partial<CanonicalWebhookNode> = {},
): CanonicalWebhookNode => ({
  nodeId,
  type: 'webhook',
  config: { url: `https://hooks.example.com/${nodeId}`, ...config },
  ...extra,
});

const callOf = (run: Run, nodeId: string): CallWebhook => {
  const call = run.commands.find((command): command is CallWebhook => command.kind === 'callWebhook' && command.nodeId === nodeId);
  if (!call) throw new Error(`no callWebhook for ${nodeId}`);
  return call;
};

const answered = (run: Run, nodeId: string, httpStatus = 200, extra: Record<string, unknown> = {}) =>
  run.apply({
    kind: 'webhookCallSucceeded',
    stepId: run.id(nodeId),
    httpStatus,
    responseHeaders: { 'content-type': 'application/json' },
    responseJson: { ok: true },
    responseText: '{"ok":true}',
    latencyMs: 12,
    ...extra,
  });

describe('sync webhook nodes', () => {
  it('a call goes out with defaults applied and the previous step output as input; its answer completes the step', () => {
    const run = Run.start(def({ nodes: [agent('draft'), webhook('notify')], edges: [edge('draft', 'notify')] }), { ticket: 7 });
    run.agentDone('draft', passed({ text: 'hello' }));
    const call = callOf(run, 'notify');
    expect(call).toMatchObject({
      mode: 'sync',
      method: 'POST',
      authMode: 'hmac',
      timeoutMs: 10_000,
      bodyTemplate: 'envelope',
      expectedStatusCodes: [],
      payload: { stepId: run.id('notify'), nodeId: 'notify', triggerContext: { ticket: 7 }, input: { text: 'hello' } },
    });
    expect(run.step('notify').status).toBe('running');
    answered(run, 'notify', 201, { attempts: 3 });
    expect(run.step('notify')).toMatchObject({
      status: 'completed',
      retryCount: 2,
      output: { httpStatus: 201, responseJson: { ok: true }, responseText: '{"ok":true}' },
    });
    expect(run.eventsOf('step.completed').at(-1)?.data).toEqual({ nodeType: 'webhook', mode: 'sync', httpStatus: 201 });
    expect(run.eventsOf('step.retried')).toHaveLength(2);
    expect(run.state.status).toBe('completed');
  });

  it('a failed call fails the step with its code, status and retry class; a failure edge routes it', () => {
    const run = Run.start(def({ nodes: [webhook('call'), agent('recover')], edges: [edge('call', 'recover', statusGate('failed'))] }));
    run.apply({
      kind: 'webhookCallFailed',
      stepId: run.id('call'),
      code: 'webhook-node-http-status',
      message: 'HTTP 404',
      httpStatus: 404,
      latencyMs: 5,
      retryClass: 'terminal',
      attempts: 1,
    });
    expect(run.step('call')).toMatchObject({ status: 'failed', error: { code: 'webhook-node-http-status' }, output: { httpStatus: 404 } });
    expect(run.eventsOf('step.failed')[0]?.data).toEqual({
      error: { code: 'webhook-node-http-status', message: 'HTTP 404' },
      httpStatus: 404,
      latencyMs: 5,
      retryClass: 'terminal',
    });
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('requireNonEmptyOutput fails a sync step answered with an empty body', () => {
    const run = Run.start(def({ nodes: [webhook('call', {}, { requireNonEmptyOutput: true })] }));
    answered(run, 'call', 204, { responseText: '', responseJson: undefined });
    expect(run.step('call')).toMatchObject({ status: 'failed', error: { code: 'webhook-node-empty-response' } });
  });

  it('token mode reads triggerContext.webhookAuth[nodeId]; without it the step fails before any call', () => {
    const config = { authMode: 'token', authTokenHeader: 'x-api-key' };
    const withToken = Run.start(def({ nodes: [webhook('call', config)] }), { webhookAuth: { call: 's3cret' } });
    expect(callOf(withToken, 'call')).toMatchObject({ authTokenHeader: 'x-api-key', authToken: 's3cret' });
    const without = Run.start(def({ nodes: [webhook('call', config)] }));
    expect(without.commands.some((command) => command.kind === 'callWebhook')).toBe(false);
    expect(without.step('call')).toMatchObject({ status: 'failed', error: { code: 'webhook-node-token-missing' } });
  });

  it('a stored config that cannot run (written before configs were checked) fails at once', () => {
    const run = Run.start(def({ nodes: [{ nodeId: 'w', type: 'webhook', config: { anything: 1 } }] }));
    expect(run.step('w')).toMatchObject({ status: 'failed', error: { code: 'webhook-node-invalid-config' } });
    expect(run.commands.some((command) => command.kind === 'callWebhook')).toBe(false);
  });
});

describe('async webhook nodes', () => {
  const asyncDef = () =>
    def({
      nodes: [webhook('wait', { mode: 'async' }, { slaMs: 60_000 }), agent('done'), agent('late')],
      edges: [edge('wait', 'done', statusGate('completed')), edge('wait', 'late', breachedGate)],
    });

  it('waits from the start; the call answering keeps it waiting; the callback completes it with its output', () => {
    const run = Run.start(asyncDef());
    expect(run.step('wait').status).toBe('waiting');
    expect(run.eventsOf('step.awaiting-approval')[0]?.data).toMatchObject({ nodeType: 'webhook', mode: 'async' });
    answered(run, 'wait', 202);
    expect(run.step('wait').status).toBe('waiting');
    const reply = run.apply({ kind: 'webhookCallbackReceived', stepId: run.id('wait'), status: 'completed', output: { verdict: 'ok' } });
    expect(reply).toEqual({ ok: true, stepId: run.id('wait'), status: 'completed' });
    expect(run.step('wait')).toMatchObject({
      status: 'completed',
      output: { verdict: 'ok', httpStatus: 202, callbackStatus: 'completed' },
    });
    expect(run.lastCommands).toContainEqual({ kind: 'cancelSlaTimer', stepId: run.id('wait') });
    expect(run.steps('done')).toHaveLength(1);
  });

  it('a callback before the call answered completes the step and abandons the call; the late answer changes nothing', () => {
    const run = Run.start(asyncDef());
    run.apply({ kind: 'webhookCallbackReceived', stepId: run.id('wait'), status: 'failed', error: { message: 'rejected upstream' } });
    expect(run.step('wait')).toMatchObject({ status: 'failed', error: { code: 'webhook-callback-failed', message: 'rejected upstream' } });
    expect(run.lastCommands).toContainEqual({ kind: 'cancelWebhook', stepId: run.id('wait') });
    const before = JSON.stringify(run.state);
    answered(run, 'wait');
    expect(JSON.stringify(run.state)).toBe(before);
  });

  it('a second callback, or one for a step that is not an async webhook, is refused', () => {
    const run = Run.start(def({ nodes: [webhook('wait', { mode: 'async' }), webhook('sync')] }));
    run.apply({ kind: 'webhookCallbackReceived', stepId: run.id('wait'), status: 'completed' });
    expectEngineError(
      () => run.apply({ kind: 'webhookCallbackReceived', stepId: run.id('wait'), status: 'completed' }),
      'FAILED_PRECONDITION',
      /already completed/,
    );
    expect(checkWebhookCallback(run.state, { stepId: run.id('sync') })?.message).toMatch(/not an async webhook step/);
    expect(checkWebhookCallback(run.state, { stepId: 'nope' })?.status).toBe('NOT_FOUND');
  });

  it('its SLA breaches it (the call is abandoned) and the breach edge routes it', () => {
    const run = Run.start(asyncDef());
    run.advance(60_000).fireDueTimers();
    expect(run.step('wait').status).toBe('breached');
    expect(run.lastCommands).toContainEqual({ kind: 'cancelWebhook', stepId: run.id('wait') });
    expect(run.steps('late')).toHaveLength(1);
  });

  it('force-complete resolves a waiting async step', () => {
    const run = Run.start(asyncDef());
    answered(run, 'wait');
    run.apply({ kind: 'stepResolved', stepId: run.id('wait'), action: 'force-complete', actorId: 'ops', output: { manual: true } });
    expect(run.step('wait')).toMatchObject({ status: 'completed', output: { manual: true } });
    expect(run.steps('done')).toHaveLength(1);
  });

  it('a call that fails for good fails the waiting step', () => {
    const run = Run.start(asyncDef());
    run.apply({
      kind: 'webhookCallFailed',
      stepId: run.id('wait'),
      code: 'webhook-node-unreachable',
      message: 'no answer',
      httpStatus: null,
      latencyMs: null,
      retryClass: 'retryable',
      attempts: 5,
    });
    expect(run.step('wait')).toMatchObject({ status: 'failed', retryCount: 4, error: { code: 'webhook-node-unreachable' } });
    expect(run.state.status).toBe('failed');
  });
});
