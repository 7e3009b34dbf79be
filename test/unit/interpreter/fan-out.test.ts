import { describe, expect, it } from 'vitest';
import { agent, approveGate, def, edge, human, passed, rejectGate, Run, statusGate } from './harness';

const gate = (ast: unknown): string => JSON.stringify(ast);

describe('fan-out', () => {
  it.each([
    ['output.*', gate({ op: 'gt', args: [{ var: 'output.score' }, 0.5] }), true],
    ['output.* false', gate({ op: 'gt', args: [{ var: 'output.score' }, 0.95] }), false],
    ['step.status', statusGate('completed'), true],
    ['step.nodeId', gate({ op: 'eq', args: [{ var: 'step.nodeId' }, 'a'] }), true],
    ['step.nodeType', gate({ op: 'eq', args: [{ var: 'step.nodeType' }, 'agent'] }), true],
    ['step.durationMs', gate({ op: 'eq', args: [{ var: 'step.durationMs' }, 300] }), true],
    ['step.iteration', gate({ op: 'eq', args: [{ var: 'step.iteration' }, 1] }), true],
    ['step.retryCount', gate({ op: 'eq', args: [{ var: 'step.retryCount' }, 0] }), true],
    ['step.stepId', gate({ op: 'startsWith', args: [{ var: 'step.stepId' }, 'step_a_'] }), true],
    ['execution.input.*', gate({ op: 'eq', args: [{ var: 'execution.input.campaign' }, 'Q2 launch'] }), true],
    ['execution.input.* false', gate({ op: 'eq', args: [{ var: 'execution.input.campaign' }, 'Q3'] }), false],
    ['infix tolerance', "output.score > 0.5 && step.status == 'completed'", true],
  ])('gates on %s', (_, when, fires) => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', when)] }), { campaign: 'Q2 launch' });
    run.advance(300).agentDone('a', passed({ score: 0.8 }));
    expect(run.steps('b')).toHaveLength(fires ? 1 : 0);
  });

  it('every passing edge spawns its own child; false gates create no (skipped) step', () => {
    const run = Run.start(
      def({
        nodes: [agent('a'), agent('b'), agent('c'), agent('d')],
        edges: [edge('a', 'b'), edge('a', 'c', approveGate), edge('a', 'd', rejectGate)],
      }),
    );
    const a = run.id('a');
    run.agentDone('a');
    expect(run.steps().map((s) => s.stepId)).toEqual([a, `${a}__to__b`, `${a}__to__c`]);
    expect(run.steps().some((s) => s.status === 'skipped')).toBe(false);
    expect(run.step('b')).toMatchObject({ parentStepId: a, iteration: 1 });
  });

  it('two parents into one node create two child steps (no implicit join)', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b'), agent('c')], edges: [edge('a', 'c'), edge('b', 'c')] }));
    const [a, b] = [run.id('a'), run.id('b')];
    run.agentDone('a').agentDone('b');
    expect(run.steps('c').map((s) => s.stepId)).toEqual([`${a}__to__c`, `${b}__to__c`]);
  });

  it('duplicate edges to one target spawn one child', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b'), edge('a', 'b', approveGate)] }));
    run.agentDone('a');
    expect(run.steps('b')).toHaveLength(1);
  });

  it('failed steps fan out along passing edges (and count as handled)', () => {
    const run = Run.start(
      def({
        nodes: [agent('a'), agent('recover'), agent('never')],
        edges: [edge('a', 'recover', statusGate('failed')), edge('a', 'never', approveGate)],
      }),
    );
    run.agentFail('a');
    expect(run.steps('recover')).toHaveLength(1);
    expect(run.steps('never')).toHaveLength(0);
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('cancelled steps never fan out', () => {
    const run = Run.start(def({ nodes: [human('h', [['u', true]]), agent('b')], edges: [edge('h', 'b')] }));
    run.apply({ kind: 'stepCancelled', stepId: run.id('h'), actorId: 'admin' });
    expect(run.steps('b')).toHaveLength(0);
    expect(run.state.status).toBe('completed');
  });

  it('multiple roots each get their own random suffix, all listed in execution.dispatched', () => {
    const run = Run.start(def({ nodes: [agent('a'), human('h', [['u', true]])] }));
    const ids = run.steps().map((s) => s.stepId);
    expect(ids[0]).toMatch(/^step_a_\d{13}_[a-z0-9]{6}$/);
    expect(ids[1]).toMatch(/^step_h_\d{13}_[a-z0-9]{6}$/);
    expect(run.eventsOf('execution.dispatched')[0]?.data).toMatchObject({ rootStepIds: ids });
  });

  it('root ids are deterministic for a given random source', () => {
    const a = Run.start(def({ nodes: [agent('a')] }));
    const b = Run.start(def({ nodes: [agent('a')] }));
    expect(a.id('a')).toBe(b.id('a'));
  });
});
