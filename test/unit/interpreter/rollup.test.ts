import { describe, expect, it } from 'vitest';
import { agent, approveGate, def, edge, human, Run, statusGate } from './harness';

describe('roll-up', () => {
  const cases: Array<{ name: string; build: () => Run; status: string; code?: string }> = [
    {
      name: 'every step completed → completed',
      build: () => Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b')] })).runAgents(),
      status: 'completed',
    },
    {
      name: 'a branch whose gate does not match simply ends',
      build: () => Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', statusGate('failed'))] })).runAgents(),
      status: 'completed',
    },
    {
      name: 'a failed step with no firing edge → failed step-failed',
      build: () => Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', approveGate)] })).agentFail('a'),
      status: 'failed',
      code: 'step-failed',
    },
    {
      name: 'a failed leaf → failed step-failed',
      build: () => Run.start(def({ nodes: [agent('a')] })).agentFail('a'),
      status: 'failed',
      code: 'step-failed',
    },
    {
      name: 'a failed step whose edge fires is handled',
      build: () =>
        Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b')] }))
          .agentFail('a')
          .runAgents(),
      status: 'completed',
    },
    {
      name: 'a step cancelled through /steps/cancel ends its branch without failing the run',
      build: () => {
        const run = Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b')] }));
        run.apply({ kind: 'stepCancelled', stepId: run.id('a'), actorId: 'admin' });
        return run;
      },
      status: 'completed',
    },
    {
      name: 'a webhook node with nothing downstream fails the run',
      build: () => Run.start(def({ nodes: [{ nodeId: 'w', type: 'webhook', config: {} }] })),
      status: 'failed',
      code: 'step-failed',
    },
  ];

  it.each(cases)('$name', ({ build, status, code }) => {
    const run = build();
    expect(run.state.status).toBe(status);
    expect(run.state.completedAt).toBe(run.now);
    if (code) {
      expect(run.state.failureReason?.code).toBe(code);
      expect(run.external().at(-1)).toBe('execution.failed');
    } else {
      expect(run.state.failureReason).toBeNull();
      expect(run.external().at(-1)).toBe('execution.completed');
    }
  });

  it('waits for every step: a failure elsewhere does not end a run with a step still waiting', () => {
    const run = Run.start(def({ nodes: [agent('a'), human('h', [['u', true]])] }));
    run.agentFail('a');
    expect(run.state.status).toBe('running');
    run.decide('h', 'u', 'approve');
    expect(run.state).toMatchObject({ status: 'failed', failureReason: { code: 'step-failed' } });
    expect(run.state.failureReason?.message).toContain(run.id('a'));
  });

  it('the first unhandled failure is the one reported', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b')] }));
    run.agentFail('b', 'agent-timeout').agentFail('a', 'agent-failed');
    expect(run.state.failureReason?.message).toContain('agent-timeout');
  });

  it('a terminal execution takes no further happenings into account', () => {
    const run = Run.start(def({ nodes: [agent('a')] })).runAgents();
    const before = run.state;
    run.apply({ kind: 'slaExpired', stepId: run.id('a') });
    expect(run.state).toEqual(before);
  });
});

describe('roll-up: no roots', () => {
  it('a definition without a root node fails the run at once with no-root-nodes', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b'), edge('b', 'a')] }));
    expect(run.state).toMatchObject({ status: 'failed', failureReason: { code: 'no-root-nodes' } });
    expect(run.external()).toEqual(['execution.dispatched', 'execution.failed']);
  });
});
