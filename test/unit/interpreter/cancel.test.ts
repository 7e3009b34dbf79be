import { describe, expect, it } from 'vitest';
import { agent, def, edge, expectEngineError, human, Run } from './harness';

const parallel = def({
  nodes: [agent('a'), { ...human('h', [['u', true]]), slaMs: 10_000 }, agent('b'), agent('after')],
  edges: [edge('a', 'after'), edge('h', 'after')],
});

describe('cancel execution', () => {
  it('cancels every live step (one step.cancelled each), then execution.cancelled', () => {
    const run = Run.start(parallel);
    run.agentDone('b');
    run.advance(5).apply({ kind: 'executionCancelled', reason: 'campaign dropped' });
    expect(run.state).toMatchObject({ status: 'cancelled', cancelledAt: run.now, completedAt: run.now, failureReason: null });
    expect(run.external().slice(-3)).toEqual(['step.cancelled:a', 'step.cancelled:h', 'execution.cancelled']);
    expect(run.eventsOf('step.cancelled').map((e) => e.data)).toEqual([
      { actorId: 'system:execution-cancel', reason: 'execution-cancelled' },
      { actorId: 'system:execution-cancel', reason: 'execution-cancelled' },
    ]);
    expect(run.eventsOf('execution.cancelled')[0]?.data).toEqual({ reason: 'campaign dropped' });
    expect(run.lastCommands).toEqual([
      { kind: 'cancelAgent', stepId: run.id('a') },
      { kind: 'cancelSlaTimer', stepId: run.id('h') },
    ]);
    expect(run.steps('after')).toHaveLength(0);
    expect(run.step('b').status).toBe('completed');
  });

  it('without a reason the event data is empty', () => {
    const run = Run.start(parallel);
    run.apply({ kind: 'executionCancelled' });
    expect(run.eventsOf('execution.cancelled')[0]?.data).toEqual({});
  });

  it('is a no-op on a terminal execution, with the same answer', () => {
    const run = Run.start(def({ nodes: [agent('a')] })).runAgents();
    const before = run.state;
    expect(run.apply({ kind: 'executionCancelled', reason: 'late' })).toEqual({ cancelled: true, executionId: run.state.executionId });
    expect(run.state).toEqual(before);
    expect(run.lastCommands).toEqual([]);
  });

  it('twice: the second call changes nothing', () => {
    const run = Run.start(parallel);
    run.apply({ kind: 'executionCancelled' });
    const seq = run.state.lastSeq;
    run.apply({ kind: 'executionCancelled' });
    expect(run.state.lastSeq).toBe(seq);
  });
});

describe('cancel step', () => {
  it('cancels, records step.overridden, fires no edge, siblings keep running', () => {
    const run = Run.start(parallel);
    const reply = run.apply({ kind: 'stepCancelled', stepId: run.id('h'), actorId: 'admin-1', reason: 'duplicate' });
    expect(reply).toEqual({ cancelled: true, executionId: run.state.executionId, stepId: run.id('h') });
    expect(run.step('h').status).toBe('cancelled');
    expect(run.eventsOf('step.overridden')[0]?.data).toEqual({ actorId: 'admin-1', action: 'cancel', reason: 'duplicate', decision: null });
    expect(run.eventsOf('step.cancelled')[0]?.data).toEqual({ actorId: 'admin-1', reason: 'duplicate' });
    expect(run.lastCommands).toEqual([{ kind: 'cancelSlaTimer', stepId: run.id('h') }]);
    expect(run.step('a').status).toBe('running');
  });

  it('an in-flight agent run is cancelled', () => {
    const run = Run.start(parallel);
    run.apply({ kind: 'stepCancelled', stepId: run.id('a'), actorId: 'admin' });
    expect(run.lastCommands).toEqual([{ kind: 'cancelAgent', stepId: run.id('a') }]);
    expect(run.eventsOf('step.cancelled')[0]?.data).toEqual({ actorId: 'admin', reason: null });
  });

  it('unknown step → NOT_FOUND; terminal step → FAILED_PRECONDITION', () => {
    const run = Run.start(parallel);
    expectEngineError(() => run.apply({ kind: 'stepCancelled', stepId: 'step_nope', actorId: 'admin' }), 'NOT_FOUND');
    run.agentDone('b');
    expectEngineError(
      () => run.apply({ kind: 'stepCancelled', stepId: run.id('b'), actorId: 'admin' }),
      'FAILED_PRECONDITION',
      /already completed/,
    );
  });
});
