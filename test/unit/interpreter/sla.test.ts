import { describe, expect, it } from 'vitest';
import { agent, approveGate, breachedGate, def, edge, human, Run } from './harness';

const slaHuman = (edges = [edge('h', 'escalate', breachedGate), edge('h', 'publish', approveGate)]) =>
  def({ nodes: [{ ...human('h', [['u', true]]), slaMs: 60_000 }, agent('escalate'), agent('publish')], edges });

describe('SLA', () => {
  it('starts a timer at creation and cancels it when the step ends first', () => {
    const run = Run.start(slaHuman());
    expect(run.lastCommands).toContainEqual({ kind: 'startSlaTimer', stepId: run.id('h'), ms: 60_000, deadlineAt: run.now + 60_000 });
    run.decide('h', 'u', 'approve');
    expect(run.lastCommands).toContainEqual({ kind: 'cancelSlaTimer', stepId: run.id('h') });
  });

  it('on expiry the step is breached, step.breached {reason}, and the breach edge routes', () => {
    const run = Run.start(slaHuman());
    run.advance(60_000).fireDueTimers();
    expect(run.step('h')).toMatchObject({ status: 'breached', completedAt: run.now, error: { code: 'sla-expired' } });
    expect(run.eventsOf('step.breached')[0]?.data).toEqual({ reason: 'sla-expired' });
    expect(run.steps('escalate')).toHaveLength(1);
    expect(run.steps('publish')).toHaveLength(0);
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('later decisions are refused with FAILED_PRECONDITION', () => {
    const run = Run.start(slaHuman());
    run.advance(60_000).fireDueTimers();
    expect(() => run.decide('h', 'u', 'approve')).toThrow(expect.objectContaining({ status: 'FAILED_PRECONDITION' }));
  });

  it('an unconditional edge also routes a breach', () => {
    const run = Run.start(slaHuman([edge('h', 'escalate')]));
    run.advance(60_000).fireDueTimers().runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('a breach nothing routes fails the run with step-breached', () => {
    const run = Run.start(
      def({ nodes: [{ ...human('h', [['u', true]]), slaMs: 60_000 }, agent('publish')], edges: [edge('h', 'publish', approveGate)] }),
    );
    run.advance(60_000).fireDueTimers();
    expect(run.state).toMatchObject({ status: 'failed', failureReason: { code: 'step-breached' } });
    expect(run.eventsOf('execution.failed')[0]?.data).toEqual({ failureReason: run.state.failureReason });
  });

  it('an in-flight agent run is cancelled on breach', () => {
    const run = Run.start(def({ nodes: [{ ...agent('a'), slaMs: 5_000 }, agent('b')], edges: [edge('a', 'b', breachedGate)] }));
    run.advance(5_000).fireDueTimers();
    expect(run.commands).toContainEqual({ kind: 'cancelAgent', stepId: run.id('a') });
    expect(run.commands).not.toContainEqual({ kind: 'cancelSlaTimer', stepId: run.id('a') });
    expect(run.step('a').status).toBe('breached');
    expect(run.steps('b')).toHaveLength(1);
  });

  it('the clock runs from creation: a child step gets its own full SLA', () => {
    const run = Run.start(def({ nodes: [agent('a'), { ...human('h', [['u', true]]), slaMs: 1_000 }], edges: [edge('a', 'h')] }));
    run.advance(700).agentDone('a');
    expect(run.step('h').slaDeadlineAt).toBe(run.now + 1_000);
  });
});
