import { describe, expect, it } from 'vitest';
import type { CanonicalDefinition } from '../../../src/core/definition';
import {
  buildPlan,
  DEFAULT_AGENT_MAX_RUNTIME_MS,
  G3_DEFAULT_AGENT_MAX_RUNTIME_MS,
  resumeCommands,
  toExecutionView,
  type RunAgent,
} from '../../../src/core/interpreter';
import { agent, approveGate, def, edge, expectEngineError, human, passed, rejectGate, Run, statusGate } from './harness';

/*
 * Agent semantics per generation (docs/behaviour.md, "G3 runtime"). Every `g3` case is paired with
 * the `g2` run of the same graph, which must behave exactly as the seeds describe.
 */

const g3 = (definition: CanonicalDefinition): CanonicalDefinition => ({ ...definition, generation: 'g3' });

const runAgentOf = (run: Run, nodeId: string): RunAgent => {
  const stepId = run.id(nodeId);
  const command = run.commands.find((c): c is RunAgent => c.kind === 'runAgent' && c.stepId === stepId);
  if (!command) throw new Error(`no runAgent for ${nodeId}`);
  return command;
};

const single = (config: Parameters<typeof agent>[1] = {}): CanonicalDefinition =>
  def({ nodes: [agent('a', config), agent('next')], edges: [edge('a', 'next', approveGate)] });

describe('the plan reads the generation', () => {
  it('defaults to g2; a g3 definition gets the G3 agent defaults, explicit values win', () => {
    const plain = buildPlan(single());
    expect(plain.generation).toBe('g2');
    expect(plain.nodes.get('a')?.agent).toMatchObject({
      maxRuntimeMs: DEFAULT_AGENT_MAX_RUNTIME_MS,
      crossPageExecute: null,
      pollIntervalMs: null,
      url: null,
    });
    const modern = buildPlan(g3(single()));
    expect(modern.generation).toBe('g3');
    expect(G3_DEFAULT_AGENT_MAX_RUNTIME_MS).toBe(10 * 60 * 1000);
    expect(modern.nodes.get('a')?.agent).toMatchObject({
      maxRuntimeMs: G3_DEFAULT_AGENT_MAX_RUNTIME_MS,
      crossPageExecute: false,
      pollIntervalMs: 15_000,
    });
    const explicit = buildPlan(g3(single({ agentMaxRuntimeMs: 86_400_000, crossPageExecute: true, pollIntervalMs: 5000 })));
    expect(explicit.nodes.get('a')?.agent).toMatchObject({ maxRuntimeMs: 86_400_000, crossPageExecute: true, pollIntervalMs: 5000 });
  });

  it('the agent ceiling is 10 minutes in g3 and 30 in g2 unless the node sets one', () => {
    expect(runAgentOf(Run.start(g3(single())), 'a').maxRuntimeMs).toBe(600_000);
    expect(runAgentOf(Run.start(single()), 'a').maxRuntimeMs).toBe(1_800_000);
    expect(runAgentOf(Run.start(g3(single({ agentMaxRuntimeMs: 42_000 }))), 'a').maxRuntimeMs).toBe(42_000);
  });
});

describe('an agent step waits while its agent runs (g3)', () => {
  it('g3: waiting with step.awaiting-approval {agentId, agentExecutionId, pollIntervalMs}, then completed with the G3 fields', () => {
    const run = Run.start(g3(single()));
    const stepId = run.id('a');
    expect(run.step('a').status).toBe('waiting');
    expect(toExecutionView(run.state).steps[0]?.status).toBe('waiting');
    expect(run.eventsOf('step.awaiting-approval').map((e) => [e.stepId, e.data])).toEqual([
      [stepId, { agentId: '__mock__', agentExecutionId: `agentexec_${stepId}`, pollIntervalMs: 15_000 }],
    ]);
    expect(runAgentOf(run, 'a')).toMatchObject({
      agentExecutionId: `agentexec_${stepId}`,
      crossPageExecute: false,
      pollIntervalMs: 15_000,
    });

    run.agentDone('a');
    expect(run.step('a').status).toBe('completed');
    expect(run.step('a').output).toMatchObject({
      agentExecutionId: `agentexec_${stepId}`,
      agentExecutionStatus: 'passed',
      decision: 'approve',
    });
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({
      agentId: '__mock__',
      agentExecutionId: `agentexec_${stepId}`,
      agentExecutionStatus: 'passed',
      decision: 'approve',
      source: 'agent',
      synthetic: true,
    });
    expect(run.steps('next')).toHaveLength(1);
    expect(run.external()).toEqual(['execution.dispatched', 'step.awaiting-approval:a', 'step.completed:a', 'step.awaiting-approval:next']);
  });

  it('g2: the same graph runs, completes and reports exactly as before', () => {
    const run = Run.start(single());
    expect(run.step('a').status).toBe('running');
    expect(run.eventsOf('step.awaiting-approval')).toHaveLength(0);
    expect(runAgentOf(run, 'a')).not.toHaveProperty('agentExecutionId');
    expect(runAgentOf(run, 'a')).not.toHaveProperty('pollIntervalMs');
    run.agentDone('a');
    expect(run.step('a').output).not.toHaveProperty('agentExecutionId');
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({ agentId: '__mock__' });
  });

  it('g3: a run that reports failed completes with decision reject; one that errors fails with the G3 fields', () => {
    const run = Run.start(g3(def({ nodes: [agent('a'), agent('b')] })));
    run.agentDone('a', passed({}, { status: 'failed' }));
    expect(run.eventsOf('step.completed')[0]?.data).toMatchObject({ agentExecutionStatus: 'failed', decision: 'reject', source: 'agent' });
    run.agentFail('b', 'agent-timeout');
    expect(run.step('b').status).toBe('failed');
    expect(run.eventsOf('step.failed')[0]?.data).toEqual({
      error: { code: 'agent-timeout', message: 'agent-timeout happened' },
      agentId: '__mock__',
      agentExecutionId: `agentexec_${run.id('b')}`,
      agentExecutionStatus: 'failed',
      decision: 'reject',
      source: 'timeout',
      synthetic: true,
    });
  });

  it('g2: an agent that errors fails with { error } only', () => {
    const run = Run.start(def({ nodes: [agent('a')] }));
    run.agentFail('a');
    expect(run.eventsOf('step.failed')[0]?.data).toEqual({ error: { code: 'agent-failed', message: 'agent-failed happened' } });
  });

  it('g3: a waiting agent is stopped by its SLA, by /steps/cancel and by executions/cancel; late results are dropped', () => {
    const breached = Run.start(
      g3(def({ nodes: [agent('a', {}, { slaMs: 1000 }), agent('late')], edges: [edge('a', 'late', statusGate('breached'))] })),
    );
    breached.advance(1000).fireDueTimers();
    expect(breached.step('a').status).toBe('breached');
    expect(breached.commands).toContainEqual({ kind: 'cancelAgent', stepId: breached.id('a') });
    breached.agentDone('a');
    expect(breached.step('a').status).toBe('breached');

    const cancelled = Run.start(g3(single()));
    cancelled.apply({ kind: 'stepCancelled', stepId: cancelled.id('a'), actorId: 'ops' });
    expect(cancelled.commands).toContainEqual({ kind: 'cancelAgent', stepId: cancelled.id('a') });

    const stopped = Run.start(g3(single()));
    stopped.apply({ kind: 'executionCancelled' });
    expect(stopped.commands).toContainEqual({ kind: 'cancelAgent', stepId: stopped.id('a') });
    expect(stopped.state.status).toBe('cancelled');
  });

  it('g3: after continue-as-new a waiting agent whose run was in flight is started again', () => {
    const run = Run.start(g3(single()));
    const plan = buildPlan(g3(single()));
    expect(resumeCommands(plan, run.state, run.now)).toEqual([expect.objectContaining({ kind: 'runAgent', stepId: run.id('a') })]);
  });
});

describe('agents count toward group quorum (g3)', () => {
  /** An agent and two humans in one group; quorum 2 of 3. */
  const panel = (policy: 'cancelOnQuorum' | 'joinOnQuorum' | 'waitAll') =>
    def({
      nodes: [agent('check'), human('legal', [['u_legal', true]]), human('brand', [['u_brand', true]]), agent('publish')],
      edges: [edge('check', 'publish', approveGate), edge('legal', 'publish', approveGate), edge('brand', 'publish', approveGate)],
      groups: [{ groupId: 'review', memberNodeIds: ['check', 'legal', 'brand'], expectedSteps: 3, quorum: 2, onQuorumMet: policy }],
    });

  it('g3: the agent passing after one human approval meets quorum, cancels the sibling and fires the join', () => {
    const run = Run.start(g3(panel('joinOnQuorum')));
    run.decide('legal', 'u_legal', 'approve');
    expect(run.eventsOf('group.quorum-met')).toHaveLength(0);
    run.agentDone('check');
    expect(run.eventsOf('group.quorum-met').map((e) => [e.stepId, e.data])).toEqual([
      [run.id('check'), { groupId: 'review', total: 2, quorum: 2, completedTotal: 2, expectedSteps: 3 }],
    ]);
    expect(run.step('brand').status).toBe('cancelled');
    expect(run.steps('publish').map((s) => s.stepId)).toEqual(['group_review__to__publish']);
  });

  it('g2: the same agent approval does not count; quorum waits for the second human', () => {
    const run = Run.start(panel('joinOnQuorum'));
    run.decide('legal', 'u_legal', 'approve');
    run.agentDone('check');
    expect(run.eventsOf('group.quorum-met')).toHaveLength(0);
    expect(run.step('brand').status).toBe('waiting');
    run.decide('brand', 'u_brand', 'approve');
    expect(run.eventsOf('group.quorum-met')[0]?.stepId).toBe(run.id('brand'));
  });

  it('g3: an agent that reports failed completes the member without approving', () => {
    const run = Run.start(g3(panel('cancelOnQuorum')));
    run.agentDone('check', passed({}, { status: 'failed' }));
    run.decide('legal', 'u_legal', 'approve');
    expect(run.eventsOf('group.quorum-met')).toHaveLength(0);
    run.decide('brand', 'u_brand', 'approve');
    expect(run.eventsOf('group.quorum-met')[0]?.data).toMatchObject({ total: 2, completedTotal: 3 });
  });

  it('g3: a blocking agent counts once its resolutions approve it', () => {
    const definition = g3(
      def({
        nodes: [
          agent('scan', { agentId: 'scanner', blocking: true, resolutionPolicy: { kind: 'allResolved' } }),
          human('legal', [['u', true]]),
          agent('ship'),
        ],
        edges: [edge('scan', 'ship', approveGate), edge('legal', 'ship', approveGate)],
        groups: [{ groupId: 'g', memberNodeIds: ['scan', 'legal'], expectedSteps: 2, quorum: 2, onQuorumMet: 'joinOnQuorum' }],
      }),
    );
    const run = Run.start(definition);
    run.decide('legal', 'u', 'approve');
    run.agentDone('scan');
    run.apply({ kind: 'agentResolutionRecorded', stepId: run.id('scan'), resolutionId: 'r1', status: 'success' });
    expect(run.eventsOf('group.quorum-met')[0]?.stepId).toBe(run.id('scan'));
  });
});

describe('blocking agents in g3 (kept: a superset of G3, which refuses them at run time)', () => {
  const blocking = g3(
    def({
      nodes: [
        agent('scan', { agentId: 'scanner', blocking: true, resolutionPolicy: { kind: 'allResolved' } }),
        agent('ship'),
        agent('fix'),
      ],
      edges: [edge('scan', 'ship', approveGate), edge('scan', 'fix', rejectGate)],
    }),
  );

  it('wait while the agent runs, refuse resolutions until it answered, then park for them', () => {
    const run = Run.start(blocking);
    const stepId = run.id('scan');
    expect(run.step('scan').status).toBe('waiting');
    expectEngineError(
      () => run.apply({ kind: 'agentResolutionRecorded', stepId, resolutionId: 'r1', status: 'success' }),
      'FAILED_PRECONDITION',
      /agent run to finish/,
    );
    run.agentDone('scan', passed({}, { responseIds: ['f1'] }));
    expect(run.step('scan').status).toBe('waiting');
    expect(run.eventsOf('step.awaiting-approval').map((e) => e.data)).toEqual([
      { agentId: 'scanner', agentExecutionId: `agentexec_${stepId}`, pollIntervalMs: 15_000 },
      {
        waitingForReviewers: 1,
        mandatoryCount: 1,
        resumeKey: `agent:${stepId}`,
        agentId: 'scanner',
        agentExecutionId: `agentexec_${stepId}`,
        pollIntervalMs: 15_000,
      },
    ]);
    run.apply({ kind: 'agentResolutionRecorded', stepId, resolutionId: 'f1', status: 'success' });
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({
      aggregatorStatus: 'resolved',
      nodeType: 'agent',
      decision: 'approve',
      aggregatorBacked: true,
      agentId: 'scanner',
      agentExecutionId: `agentexec_${stepId}`,
      agentExecutionStatus: 'passed',
      source: 'resolution',
    });
    expect(run.steps('ship')).toHaveLength(1);
  });
});

describe('agent fields at run time', () => {
  it('url wins over urlPath; a scheme-less static url gets https:// in both generations', () => {
    for (const definition of [
      single({ url: 'docs.example.com/a', urlPath: 'page' }),
      g3(single({ url: 'docs.example.com/a', urlPath: 'page' })),
    ]) {
      const run = Run.start(definition, { page: 'https://ignored.example.com' });
      expect(runAgentOf(run, 'a').url).toBe('https://docs.example.com/a');
      run.agentDone('a');
      expect(run.step('a').output.resolvedUrl).toBe('https://docs.example.com/a');
    }
    expect(runAgentOf(Run.start(single({ url: 'http://plain.example.com' })), 'a').url).toBe('http://plain.example.com');
  });

  it('g3 adds https:// to a scheme-less urlPath value; g2 passes it as found', () => {
    const context = { payload: { deployment: { url: 'my-app.vercel.app' } } };
    expect(runAgentOf(Run.start(g3(single({ urlPath: 'payload.deployment.url' })), context), 'a').url).toBe('https://my-app.vercel.app');
    expect(runAgentOf(Run.start(single({ urlPath: 'payload.deployment.url' }), context), 'a').url).toBe('my-app.vercel.app');
  });

  it.each([
    ['a missing path', {}],
    ['a non-string value', { page: 42 }],
    ['an empty string', { page: '  ' }],
  ])('g3: a urlPath that gives no URL (%s) fails the step with agent-url-unresolved before any agent is called', (_, context) => {
    const run = Run.start(
      g3(def({ nodes: [agent('a', { urlPath: 'page' }, { slaMs: 5000 }), agent('next')], edges: [edge('a', 'next', approveGate)] })),
      context,
    );
    const step = run.step('a');
    expect(step).toMatchObject({ status: 'failed', output: {}, error: { code: 'agent-url-unresolved' } });
    expect(step.error?.message).toContain('"page"');
    // No agent call, no SLA timer (and so nothing to cancel).
    expect(run.commands).toEqual([]);
    expect(run.eventsOf('step.awaiting-approval')).toHaveLength(0);
    expect(run.eventsOf('step.failed')[0]?.data).toEqual({
      error: step.error,
      reason: 'agent-url-unresolved',
      agentId: '__mock__',
      agentExecutionId: null,
      agentExecutionStatus: null,
      decision: null,
      source: 'engine',
      synthetic: true,
    });
    expect(run.state).toMatchObject({ status: 'failed', failureReason: { code: 'step-failed' } });
  });

  it('g2: an unresolved urlPath still runs the agent with url null', () => {
    const run = Run.start(single({ urlPath: 'page' }));
    expect(runAgentOf(run, 'a').url).toBeNull();
    expect(run.step('a').status).toBe('running');
  });

  it('a static url rescues an unresolved urlPath in g3', () => {
    const run = Run.start(g3(single({ url: 'https://fixed.example.com', urlPath: 'page' })));
    expect(run.step('a').status).toBe('waiting');
    expect(runAgentOf(run, 'a').url).toBe('https://fixed.example.com');
  });

  it('userContextMapping builds userContext from the trigger context; the new fields travel with the run', () => {
    const config = {
      url: 'https://site.example.com',
      crossPageExecute: true,
      maxUrlsToProcess: 50,
      pollIntervalMs: 30_000,
      userContextMapping: {
        email: 'user.email',
        plan: 'triggerContext.account.plan',
        team: 'execution.input.user.teams',
        missing: 'user.nope',
      },
    };
    const context = { user: { email: 'ada@example.com', teams: ['a', 'b'] }, account: { plan: 'pro' } };
    for (const definition of [single(config), g3(single(config))]) {
      expect(runAgentOf(Run.start(definition, context), 'a')).toMatchObject({
        crossPageExecute: true,
        maxUrlsToProcess: 50,
        pollIntervalMs: 30_000,
        userContext: { email: 'ada@example.com', plan: 'pro', team: ['a', 'b'] },
      });
    }
    expect(runAgentOf(Run.start(single(config), context), 'a').userContext).not.toHaveProperty('missing');
  });

  it('requireNonEmptyOutput in the agent config: g2 fails the step with agent-empty-output, g3 completes it', () => {
    const empty = passed({}, { output: {} });
    const old = Run.start(single({ requireNonEmptyOutput: true }));
    old.agentDone('a', empty);
    expect(old.step('a')).toMatchObject({ status: 'failed', error: { code: 'agent-empty-output' } });
    const modern = Run.start(g3(single({ requireNonEmptyOutput: true })));
    modern.agentDone('a', empty);
    expect(modern.step('a')).toMatchObject({ status: 'completed', output: { decision: 'approve' } });
  });

  it('a node-level requireNonEmptyOutput has no effect on agents', () => {
    const base = g3(single());
    const withFlag = { ...base, nodes: base.nodes.map((node) => ({ ...node, requireNonEmptyOutput: true })) } as CanonicalDefinition;
    const run = Run.start(withFlag);
    run.agentDone('a', passed({}, { output: {} }));
    expect(run.step('a').status).toBe('completed');
  });
});
