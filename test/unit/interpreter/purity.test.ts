import { describe, expect, it } from 'vitest';
import { apply, buildPlan, resumeCommands, toExecutionView } from '../../../src/core/interpreter';
import { agent, def, edge, human, passed, Run, seeded, T0 } from './harness';

const members = ['m0', 'm1', 'm2', 'm3', 'm4'];

/** A 20-iteration loop whose body ends in a 5-member joinOnQuorum group (the size budget case). */
const bigLoop = def({
  nodes: [
    agent('draft', { promptOverride: 'Write the copy' }),
    ...members.map((m) =>
      human(m, [
        [`${m}_lead`, true],
        [`${m}_peer`, false],
        [`${m}_extra`, false],
      ]),
    ),
    agent('publish'),
    agent('escalate'),
  ],
  edges: [...members.map((m) => edge('draft', m)), ...members.map((m) => edge(m, 'publish'))],
  groups: [{ groupId: 'review', memberNodeIds: members, expectedSteps: 5, quorum: 5, onQuorumMet: 'joinOnQuorum' }],
  loops: [
    {
      loopId: 'review-loop',
      entryNodeId: 'draft',
      bodyNodeIds: ['draft', ...members],
      maxIterations: 20,
      onExhausted: { routeToNodeId: 'escalate' },
    },
  ],
});

describe('purity and determinism', () => {
  it('apply never mutates the state it is given', () => {
    const run = Run.start(def({ nodes: [human('h', [['u', true]]), agent('a')], edges: [edge('h', 'a')] }));
    const before = run.state;
    const snapshot = JSON.stringify(before);
    run.decide('h', 'u', 'approve');
    run.runAgents();
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(run.state).not.toBe(before);
  });

  it('the same happenings give the same states, commands and ids', () => {
    const drive = () => {
      const run = new Run(bigLoop, 7).dispatch({ campaign: 'Q2' });
      run.runAgents(passed({ draft: 'v1' }));
      run.decide('m2', 'm2_lead', 'reject', 'no');
      run.runAgents();
      return { state: run.state, commands: run.commands };
    };
    expect(drive()).toEqual(drive());
  });

  it('dispatch on an existing state changes nothing', () => {
    const run = Run.start(def({ nodes: [agent('a')] }));
    const plan = buildPlan(def({ nodes: [agent('a')] }));
    const result = apply(
      plan,
      run.state,
      { kind: 'dispatched', executionId: 'x', definitionVersion: 1, triggerContext: {}, correlationId: 'c', idempotencyKey: 'k' },
      { now: T0, random: seeded(1) },
    );
    expect(result).toEqual({ state: run.state, commands: [], events: [], reply: null });
  });

  it('resumeCommands re-arms live SLA timers with the time left and restarts running agents', () => {
    const run = Run.start(def({ nodes: [{ ...human('h', [['u', true]]), slaMs: 10_000 }, agent('a'), agent('done')] }));
    run.agentDone('done');
    const commands = resumeCommands(run.plan, JSON.parse(JSON.stringify(run.state)), run.now + 4_000);
    expect(commands).toEqual([
      { kind: 'startSlaTimer', stepId: run.id('h'), ms: 6_000, deadlineAt: run.now + 10_000 },
      expect.objectContaining({ kind: 'runAgent', stepId: run.id('a') }),
    ]);
  });

  it('a 20-iteration loop with a 5-member group stays plain JSON and compact', () => {
    const run = new Run(bigLoop).dispatch({ asset: 'a'.repeat(200) });
    for (let i = 0; i < 20; i += 1) {
      run.runAgents(passed({ draft: `version ${i}`, words: 120 }));
      for (const m of members.slice(0, 4)) {
        run.decide(m, `${m}_peer`, 'approve');
        run.decide(m, `${m}_lead`, 'approve');
      }
      run.advance(60_000);
      run.decide('m4', 'm4_lead', 'reject', `iteration ${i + 1} is not good enough`);
    }
    run.runAgents();
    expect(run.eventsOf('loop.iteration-started')).toHaveLength(19);
    expect(run.eventsOf('loop.exhausted')).toHaveLength(1);
    expect(run.state.status).toBe('completed');
    const json = JSON.stringify(run.state);
    expect(JSON.parse(json)).toEqual(run.state);
    // 121 steps, ~900 events: comfortably below Temporal's 2 MB payload limit.
    expect(json.length).toBeLessThan(600_000);
    const view = JSON.stringify(toExecutionView(run.state));
    expect(view.length).toBeLessThan(1_500_000);
    const escalate = toExecutionView(run.state).steps.find((s) => s.nodeId === 'escalate');
    expect((escalate?.input as { previousAttempts: unknown[] }).previousAttempts).toHaveLength(20);
  });
});
