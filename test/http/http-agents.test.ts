import { createHmac } from 'node:crypto';
import { verifyStandardWebhook } from '../../src/infra/request-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, useEngine } from '../support/engine';
import { startReceiver, type Answer, type Received, type TestReceiver } from '../support/receiver';

const AGENT_SECRET = 'agent-secret-0123456789';
let agent: TestReceiver;
let flaky: TestReceiver;
let answer: Answer = 200;

/** Answers 503 to the first two calls of each execution, then passes. */
const failTwiceThenPass = (request: Received, received: Received[]): Answer => {
  const { executionId } = JSON.parse(request.rawBody) as { executionId: string };
  const calls = received.filter((entry) => (JSON.parse(entry.rawBody) as { executionId: string }).executionId === executionId).length;
  return calls <= 2 ? 503 : { status: 200, body: { status: 'passed', output: { calls } } };
};

beforeAll(async () => {
  agent = await startReceiver(() => answer);
  flaky = await startReceiver(failTwiceThenPass);
});
afterAll(async () => {
  await agent?.close();
  await flaky?.close();
});
const engine = useEngine(() => ({
  agents: [
    { agentId: 'copy-agent-v1', url: agent.url, secret: AGENT_SECRET },
    { agentId: 'flaky-agent-v1', url: flaky.url, secret: AGENT_SECRET },
  ],
}));

const runAgentDefinition = async (definitionId: string, agentId: string) => {
  await engine.admin.post('definitions/create', {
    definitionId,
    name: 'HTTP agent',
    nodes: [
      {
        nodeId: 'draft',
        type: 'agent',
        config: { agentId, urlPath: 'assetUrl', promptOverride: 'Write it', inputMapping: { tone: 'warm' } },
      },
    ],
    edges: [],
  });
  const dispatched = await engine.admin.post('executions/dispatch', {
    definitionId,
    triggerContext: { assetUrl: 'https://cdn.example.com/a.png' },
  });
  const { executionId } = dispatched.body.result;
  return eventually(
    () => engine.admin.post('executions/get', { executionId }),
    (response) => ['completed', 'failed'].includes(response.body.result.status),
    20_000,
  );
};

describe('HTTP agents registered for the workspace', () => {
  it('sends a signed request and folds the answer into the step output', async () => {
    answer = { status: 200, body: { status: 'passed', summary: { totalFindings: 0 }, output: { headline: 'Hello' }, responseIds: [] } };
    const done = await runAgentDefinition('http-agent-pass', 'copy-agent-v1');
    const call = agent.received.at(-1)!;
    const expected = `sha256=${createHmac('sha256', AGENT_SECRET).update(call.rawBody).digest('hex')}`;
    expect(call.headers['x-velt-signature']).toBe(expected);
    const request = JSON.parse(call.rawBody);
    expect(request).toMatchObject({
      executionId: done.body.result.executionId,
      agentId: 'copy-agent-v1',
      url: 'https://cdn.example.com/a.png',
      promptOverride: 'Write it',
    });
    const step = done.body.result.steps[0];
    expect(done.body.result.status).toBe('completed');
    expect(step.output).toMatchObject({
      headline: 'Hello',
      agentId: 'copy-agent-v1',
      agentExecutionStatus: 'passed',
      agentResultsSummary: { totalFindings: 0 },
      decision: 'approve',
      resolvedUrl: 'https://cdn.example.com/a.png',
    });
  });

  it('fails the step at once when the agent answers a 4xx', async () => {
    answer = { status: 422, body: { error: 'nope' } };
    const done = await runAgentDefinition('http-agent-4xx', 'copy-agent-v1');
    expect(done.body.result.steps[0].status).toBe('failed');
    expect(done.body.result.steps[0].error.code).toBe('agent-failed');
    expect(done.body.result.failureReason.code).toBe('step-failed');
  });

  it('fails the step with agent-not-registered for an agent the workspace did not register', async () => {
    const done = await runAgentDefinition('http-agent-missing', 'someone-elses-agent');
    expect(done.body.result.steps[0].error.code).toBe('agent-not-registered');
  });

  it('retries a 5xx answer, and the retries it took are the step retryCount its edge gates read', async () => {
    const definitionId = 'http-agent-flaky';
    await engine.admin.post('definitions/create', {
      definitionId,
      name: 'Flaky HTTP agent',
      nodes: [
        { nodeId: 'draft', type: 'agent', config: { agentId: 'flaky-agent-v1' } },
        { nodeId: 'after-retries', type: 'agent', config: { agentId: '__mock__' } },
        { nodeId: 'first-try', type: 'agent', config: { agentId: '__mock__' } },
      ],
      edges: [
        { from: 'draft', to: 'after-retries', when: 'step.retryCount >= 2' },
        { from: 'draft', to: 'first-try', when: 'step.retryCount == 0' },
      ],
    });
    const dispatched = await engine.admin.post('executions/dispatch', { definitionId });
    const { executionId } = dispatched.body.result;
    const done = await eventually(
      () => engine.admin.post('executions/get', { executionId }),
      (response) => ['completed', 'failed'].includes(response.body.result.status),
      30_000,
    );
    const calls = flaky.received.filter((entry) => JSON.parse(entry.rawBody).executionId === executionId);
    expect(calls).toHaveLength(3);
    const view = done.body.result;
    expect(view.status).toBe('completed');
    expect(view.steps.map((step: any) => step.nodeId)).toEqual(['draft', 'after-retries']);
    expect(view.steps[0].output).toMatchObject({ calls: 3, agentExecutionStatus: 'passed', decision: 'approve' });
  });

  it('signs each call with the Standard Webhooks headers too: one webhook-id across retries, each attempt stamped anew', async () => {
    const definitionId = 'http-agent-standard-webhooks';
    await engine.admin.post('definitions/create', {
      definitionId,
      name: 'Flaky HTTP agent, signed',
      nodes: [{ nodeId: 'draft', type: 'agent', config: { agentId: 'flaky-agent-v1' } }],
      edges: [],
    });
    const { executionId } = (await engine.admin.post('executions/dispatch', { definitionId })).body.result;
    await eventually(
      () => engine.admin.post('executions/get', { executionId }),
      (response) => ['completed', 'failed'].includes(response.body.result.status),
      30_000,
    );
    const calls = flaky.received.filter((entry) => JSON.parse(entry.rawBody).executionId === executionId);
    expect(calls).toHaveLength(3);
    const ids = new Set(calls.map((call) => call.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(new RegExp(`^agent_${executionId}_step_draft_`));
    for (const call of calls) {
      const standard = {
        id: call.headers['webhook-id'] as string,
        timestamp: call.headers['webhook-timestamp'] as string,
        signature: call.headers['webhook-signature'] as string,
      };
      expect(verifyStandardWebhook([AGENT_SECRET], standard, call.rawBody, Number(standard.timestamp))).toBe(true);
      expect(call.headers['x-velt-signature']).toBe(`sha256=${createHmac('sha256', AGENT_SECRET).update(call.rawBody).digest('hex')}`);
    }
    const stamps = calls.map((call) => Number(call.headers['webhook-timestamp']));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });
});
