import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_MAX_RUNTIME_MS, type RunAgent } from '../../../src/core/interpreter';
import { agent, def, edge, passed, Run } from './harness';

const runAgentOf = (run: Run, stepId: string): RunAgent => {
  const command = run.commands.find((c): c is RunAgent => c.kind === 'runAgent' && c.stepId === stepId);
  if (!command) throw new Error(`no runAgent for ${stepId}`);
  return command;
};

describe('agent steps', () => {
  it('runAgent carries the config: url from urlPath, prompt, mock controls, runtime ceiling', () => {
    const mock = { decision: 'reject', delayMs: 5, responseIds: ['r1'] };
    const run = Run.start(
      def({
        nodes: [
          agent('a', {
            urlPath: 'asset.url',
            promptOverride: 'Check it',
            inputMapping: { mock, tone: 'formal' },
            agentMaxRuntimeMs: 60_000,
          }),
        ],
      }),
      { asset: { url: 'https://example.com/a' } },
    );
    expect(runAgentOf(run, run.id('a'))).toEqual({
      kind: 'runAgent',
      stepId: run.id('a'),
      nodeId: 'a',
      agentId: '__mock__',
      url: 'https://example.com/a',
      promptOverride: 'Check it',
      input: {
        triggerContext: { asset: { url: 'https://example.com/a' } },
        inputMapping: { mock, tone: 'formal' },
        parentStepId: null,
        parentOutput: null,
        stepInput: null,
      },
      mock,
      maxRuntimeMs: 60_000,
      blocking: false,
    });
  });

  it.each([
    ['missing path', 'asset.nope', null],
    ['non-string value', 'asset.size', null],
    ['execution.input prefix', 'execution.input.asset.url', 'https://example.com/a'],
    ['no urlPath', undefined, null],
  ])('urlPath resolution: %s', (_, urlPath, url) => {
    const run = Run.start(def({ nodes: [agent('a', urlPath === undefined ? {} : { urlPath })] }), {
      asset: { url: 'https://example.com/a', size: 3 },
    });
    expect(runAgentOf(run, run.id('a')).url).toBe(url);
    expect(runAgentOf(run, run.id('a')).maxRuntimeMs).toBe(DEFAULT_AGENT_MAX_RUNTIME_MS);
  });

  it('a child agent receives its parent output', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b')] }));
    run.agentDone('a', passed({ draft: 'hello' }));
    expect(runAgentOf(run, run.id('b')).input).toMatchObject({
      parentStepId: run.id('a'),
      parentOutput: { draft: 'hello', decision: 'approve' },
    });
  });

  it('output on pass: agent fields plus the engine fields (which win)', () => {
    const run = Run.start(def({ nodes: [agent('a', { urlPath: 'u' })] }), { u: 'https://x.io' });
    run
      .advance(1234)
      .agentDone('a', passed({ findings: 2, decision: 'hijack', agentId: 'nope' }, { summary: { totalFindings: 2 }, responseIds: ['r1'] }));
    expect(run.step('a').output).toEqual({
      synthetic: true,
      findings: 2,
      agentId: '__mock__',
      agentExecutionStatus: 'passed',
      agentResultsSummary: { totalFindings: 2 },
      decision: 'approve',
      resolvedUrl: 'https://x.io',
      agentDurationMs: 1234,
      responseIds: ['r1'],
    });
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({ agentId: '__mock__' });
  });

  it('an agent that reports failed completes with decision reject', () => {
    const run = Run.start(def({ nodes: [agent('a')] }));
    run.agentDone('a', passed({}, { status: 'failed' }));
    expect(run.step('a')).toMatchObject({ status: 'completed', output: { agentExecutionStatus: 'failed', decision: 'reject' } });
  });

  it.each(['agent-failed', 'agent-timeout', 'agent-empty-output', 'agent-not-registered'] as const)('error %s fails the step', (code) => {
    const run = Run.start(def({ nodes: [agent('a', { agentId: 'real-agent' })] }));
    run.advance(99).agentFail('a', code);
    expect(run.step('a')).toMatchObject({
      status: 'failed',
      error: { code, message: `${code} happened` },
      output: { agentId: 'real-agent', agentExecutionStatus: 'failed', decision: 'reject', agentDurationMs: 99 },
    });
  });

  it('requireNonEmptyOutput fails an empty output with agent-empty-output', () => {
    const run = Run.start(def({ nodes: [agent('a', { requireNonEmptyOutput: true }), agent('b', { requireNonEmptyOutput: true })] }));
    run.agentDone('a', { status: 'passed', summary: null, output: {}, responseIds: [] });
    run.agentDone('b', passed({ text: 'x' }));
    expect(run.step('a')).toMatchObject({ status: 'failed', error: { code: 'agent-empty-output' } });
    expect(run.step('b').status).toBe('completed');
  });

  it('the measured duration and attempts are taken when given; retries are recorded', () => {
    const run = Run.start(def({ nodes: [agent('a')] }));
    run.apply({ kind: 'agentRetried', stepId: run.id('a'), attempt: 1, message: 'HTTP 503' });
    run.apply({ kind: 'agentSucceeded', stepId: run.id('a'), result: passed(), attempts: 3, durationMs: 4200 });
    expect(run.step('a')).toMatchObject({ retryCount: 2, output: { agentDurationMs: 4200 } });
    expect(run.eventsOf('step.retried')[0]?.data).toEqual({ attempt: 1, message: 'HTTP 503' });
  });

  it('attempts reported with the result become retryCount, one step.retried per retry, and gate edges on step.retryCount', () => {
    const retried = JSON.stringify({ op: 'gte', args: [{ var: 'step.retryCount' }, 2] });
    const firstTry = JSON.stringify({ op: 'eq', args: [{ var: 'step.retryCount' }, 0] });
    const run = Run.start(
      def({ nodes: [agent('a'), agent('late'), agent('clean')], edges: [edge('a', 'late', retried), edge('a', 'clean', firstTry)] }),
    );
    run.apply({ kind: 'agentSucceeded', stepId: run.id('a'), result: passed(), attempts: 3 });
    expect(run.step('a').retryCount).toBe(2);
    expect(run.eventsOf('step.retried').map((event) => event.data)).toEqual([
      { attempt: 1, message: null },
      { attempt: 2, message: null },
    ]);
    expect(run.types().indexOf('step.retried')).toBeLessThan(run.types().indexOf('step.completed'));
    expect(run.steps('late')).toHaveLength(1);
    expect(run.steps('clean')).toHaveLength(0);
  });

  it('a final failure reports its attempts too; a first-try answer records no retry', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b')] }));
    run.apply({ kind: 'agentFailed', stepId: run.id('a'), code: 'agent-failed', message: 'HTTP 503', attempts: 5 });
    run.apply({ kind: 'agentSucceeded', stepId: run.id('b'), result: passed(), attempts: 1 });
    expect(run.step('a')).toMatchObject({ status: 'failed', retryCount: 4 });
    expect(run.step('b').retryCount).toBe(0);
    expect(run.eventsOf('step.retried').map((event) => event.stepId)).toEqual(Array(4).fill(run.id('a')));
  });

  it('runs recorded before webhook nodes were live: webhook steps fail with webhook-node-deferred and route like any failure', () => {
    const definition = def({
      nodes: [{ nodeId: 'w', type: 'webhook', config: { url: 'https://hooks.example.com/w' } }, agent('after')],
      edges: [edge('w', 'after')],
    });
    const run = new Run(definition, 42, { liveWebhookNodes: false }).dispatch();
    expect(run.commands.some((command) => command.kind === 'callWebhook')).toBe(false);
    expect(run.step('w')).toMatchObject({ status: 'failed', nodeType: 'webhook', error: { code: 'webhook-node-deferred' } });
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });
});
