import { describe, expect, it } from 'vitest';
import type { Group } from '../../../src/core/definition';
import { toExecutionView } from '../../../src/core/interpreter';
import { agent, approveGate, def, edge, human, rejectGate, Run } from './harness';

const marketing = (groups: Group[], loops: Parameters<typeof def>[0]['loops'] = null) =>
  def({
    definitionId: 'marketing-copy-approval',
    nodes: [
      agent('agent-draft'),
      human('human-legal', [['u_legal_01', true]]),
      human('human-brand', [['u_brand_01', true]]),
      agent('agent-publish'),
    ],
    edges: [
      edge('agent-draft', 'human-legal'),
      edge('agent-draft', 'human-brand'),
      edge('human-legal', 'agent-publish'),
      edge('human-brand', 'agent-publish'),
    ],
    groups,
    loops,
  });

const join2: Group = {
  groupId: 'parallel-review',
  memberNodeIds: ['human-legal', 'human-brand'],
  expectedSteps: 2,
  quorum: 2,
  onQuorumMet: 'joinOnQuorum',
};

const three = (group: Partial<Group>) =>
  def({
    nodes: [
      human('r1', [['u1', true]]),
      human('r2', [['u2', true]]),
      human('r3', [['u3', true]]),
      agent('next1'),
      agent('next2'),
      agent('next3'),
    ],
    edges: [edge('r1', 'next1', approveGate), edge('r2', 'next2', approveGate), edge('r3', 'next3', approveGate)],
    groups: [{ groupId: 'g', memberNodeIds: ['r1', 'r2', 'r3'], expectedSteps: 3, quorum: 2, ...group }],
  });

describe('documented event sequences', () => {
  it.each([
    ['without a loop', marketing([join2])],
    [
      'inside the strict-mode review loop',
      marketing(
        [join2],
        [
          {
            loopId: 'review-loop',
            entryNodeId: 'agent-draft',
            bodyNodeIds: ['agent-draft', 'human-legal', 'human-brand'],
            maxIterations: 3,
          },
        ],
      ),
    ],
  ])('marketing copy with joinOnQuorum (%s)', (_, definition) => {
    const run = Run.start(definition);
    run.runAgents();
    expect(run.external()).toEqual([
      'execution.dispatched',
      'step.completed:agent-draft',
      'step.awaiting-approval:human-legal',
      'step.awaiting-approval:human-brand',
    ]);
    expect(run.state.status).toBe('running');
    run.decide('human-legal', 'u_legal_01', 'approve');
    expect(run.external().slice(4)).toEqual(['step.completed:human-legal']);
    run.decide('human-brand', 'u_brand_01', 'approve');
    expect(run.steps('agent-publish').map((s) => s.stepId)).toEqual(['group_parallel-review__to__agent-publish']);
    run.runAgents();
    expect(run.external().slice(5)).toEqual([
      'step.completed:human-brand',
      'group.quorum-met',
      'step.completed:agent-publish',
      'execution.completed',
    ]);
    expect(run.eventsOf('group.quorum-met')[0]?.data).toEqual({
      groupId: 'parallel-review',
      total: 2,
      quorum: 2,
      completedTotal: 2,
      expectedSteps: 2,
    });
    const publish = toExecutionView(run.state).steps.find((s) => s.nodeId === 'agent-publish');
    expect(publish).toMatchObject({ groupId: null, input: { groupId: 'parallel-review', quorum: 2, totalApproved: 2 } });
    expect(Object.keys(publish?.input?.groupOutputs ?? {})).toEqual(['human-legal', 'human-brand']);
    expect(run.steps('human-legal')[0]?.groupId).toBe('parallel-review');
    expect(run.types()).toContain('parallel-group.completed');
  });

  it('three reviewers, quorum 2, cancelOnQuorum: the third is cancelled; approvers fan out on their own edges', () => {
    const run = Run.start(three({ onQuorumMet: 'cancelOnQuorum' }));
    run.decide('r1', 'u1', 'approve');
    run.decide('r3', 'u3', 'approve');
    expect(run.external()).toEqual([
      'execution.dispatched',
      'step.awaiting-approval:r1',
      'step.awaiting-approval:r2',
      'step.awaiting-approval:r3',
      'step.completed:r1',
      'step.completed:r3',
      'group.quorum-met',
      'step.cancelled:r2',
    ]);
    expect(run.eventsOf('step.cancelled')[0]?.data).toEqual({ actorId: 'system:group-quorum', reason: 'group-quorum-met' });
    expect(run.steps('next1')).toHaveLength(1);
    expect(run.steps('next3')).toHaveLength(1);
    expect(run.steps('next2')).toHaveLength(0);
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });
});

describe('parallel groups', () => {
  it('waitAll: event only; members keep waiting and fan out on their own', () => {
    const run = Run.start(three({ onQuorumMet: 'waitAll' }));
    run.decide('r1', 'u1', 'approve');
    run.decide('r2', 'u2', 'approve');
    expect(run.eventsOf('group.quorum-met')).toHaveLength(1);
    expect(run.step('r3').status).toBe('waiting');
    run.decide('r3', 'u3', 'approve');
    expect(run.eventsOf('group.quorum-met')).toHaveLength(1);
    expect(run.eventsOf('parallel-group.completed')).toHaveLength(1);
    expect(['next1', 'next2', 'next3'].map((n) => run.steps(n).length)).toEqual([1, 1, 1]);
  });

  it('onQuorumMet defaults to waitAll', () => {
    const run = Run.start(three({ onQuorumMet: undefined }));
    run.decide('r1', 'u1', 'approve');
    run.decide('r2', 'u2', 'approve');
    expect(run.step('r3').status).toBe('waiting');
  });

  it('rejections move only the completion count; an all-reject group completes without quorum-met', () => {
    const run = Run.start(three({ onQuorumMet: 'waitAll' }));
    for (const [node, user] of [
      ['r1', 'u1'],
      ['r2', 'u2'],
      ['r3', 'u3'],
    ] as const)
      run.decide(node, user, 'reject');
    expect(run.eventsOf('group.quorum-met')).toHaveLength(0);
    expect(run.eventsOf('parallel-group.completed')[0]?.data).toMatchObject({ completedTotal: 3, totalApproved: 0, quorumMet: false });
    expect(run.state.status).toBe('completed');
  });

  it('requiredNodeIds: quorum waits for the required member', () => {
    const run = Run.start(three({ onQuorumMet: 'cancelOnQuorum', requiredNodeIds: ['r3'] }));
    run.decide('r1', 'u1', 'approve');
    run.decide('r2', 'u2', 'approve');
    expect(run.eventsOf('group.quorum-met')).toHaveLength(0);
    run.decide('r3', 'u3', 'approve');
    expect(run.eventsOf('group.quorum-met')[0]?.data).toMatchObject({ total: 3 });
  });

  it('cancelOnQuorum cancels every non-terminal sibling, running agents included', () => {
    const run = Run.start(
      def({
        nodes: [
          human('r1', [['u1', true]]),
          human('r2', [['u2', true]]),
          agent('bot', { blocking: true, resolutionPolicy: { kind: 'allResolved' } }),
        ],
        groups: [{ groupId: 'g', memberNodeIds: ['r1', 'r2', 'bot'], expectedSteps: 3, quorum: 2, onQuorumMet: 'cancelOnQuorum' }],
      }),
    );
    run.decide('r1', 'u1', 'approve');
    run.decide('r2', 'u2', 'approve');
    expect(run.step('bot').status).toBe('cancelled');
    expect(run.lastCommands).toContainEqual({ kind: 'cancelAgent', stepId: run.id('bot') });
  });

  it('non-blocking agent members never count toward quorum', () => {
    const run = Run.start(
      def({
        nodes: [agent('a1'), agent('a2')],
        groups: [{ groupId: 'g', memberNodeIds: ['a1', 'a2'], expectedSteps: 2, quorum: 1, onQuorumMet: 'waitAll' }],
      }),
    );
    run.runAgents();
    expect(run.eventsOf('group.quorum-met')).toHaveLength(0);
    expect(run.state.status).toBe('completed');
  });

  it('blocking agent members count once resolved with approve', () => {
    const run = Run.start(
      def({
        nodes: [agent('a1', { blocking: true, resolutionPolicy: { kind: 'allResolved' } }), human('h', [['u', true]])],
        groups: [{ groupId: 'g', memberNodeIds: ['a1', 'h'], expectedSteps: 2, quorum: 1, onQuorumMet: 'cancelOnQuorum' }],
      }),
    );
    run.runAgents();
    run.apply({ kind: 'agentResolutionRecorded', stepId: run.id('a1'), resolutionId: 'r1', status: 'success' });
    expect(run.eventsOf('group.quorum-met')).toHaveLength(1);
    expect(run.step('h').status).toBe('cancelled');
  });

  it('joinOnQuorum with quorum < members: join fires once, siblings cancelled, member edges suppressed', () => {
    const run = Run.start(
      def({
        nodes: [human('r1', [['u1', true]]), human('r2', [['u2', true]]), human('r3', [['u3', true]]), agent('next'), agent('rework')],
        edges: ['r1', 'r2', 'r3'].flatMap((r) => [edge(r, 'next', approveGate), edge(r, 'rework', rejectGate)]),
        groups: [{ groupId: 'g', memberNodeIds: ['r1', 'r2', 'r3'], expectedSteps: 3, quorum: 2, onQuorumMet: 'joinOnQuorum' }],
      }),
    );
    run.decide('r1', 'u1', 'reject');
    expect(run.steps('rework')).toHaveLength(0);
    run.decide('r2', 'u2', 'approve');
    run.decide('r3', 'u3', 'approve');
    // The join evaluates the members' edges against the group's approval: `next` only.
    expect(
      run
        .steps()
        .filter((s) => s.nodeId === 'next' || s.nodeId === 'rework')
        .map((s) => s.stepId),
    ).toEqual(['group_g__to__next']);
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('joinOnQuorum ending without quorum fails the run with group-quorum-unmet', () => {
    const run = Run.start(marketing([join2]));
    run.runAgents();
    run.decide('human-legal', 'u_legal_01', 'approve');
    run.decide('human-brand', 'u_brand_01', 'reject');
    expect(run.state).toMatchObject({ status: 'failed', failureReason: { code: 'group-quorum-unmet' } });
    expect(run.steps('agent-publish')).toHaveLength(0);
  });

  it('a member cancelled by an admin counts toward completion but not quorum', () => {
    const run = Run.start(three({ onQuorumMet: 'waitAll' }));
    run.apply({ kind: 'stepCancelled', stepId: run.id('r1'), actorId: 'admin' });
    run.decide('r2', 'u2', 'approve');
    run.decide('r3', 'u3', 'approve');
    expect(run.eventsOf('group.quorum-met')[0]?.data).toMatchObject({ total: 2, completedTotal: 3 });
  });

  it('a breached member counts toward completion and follows its breach edge (waitAll)', () => {
    const run = Run.start(
      def({
        nodes: [{ ...human('r1', [['u1', true]]), slaMs: 100 }, human('r2', [['u2', true]]), agent('late')],
        edges: [edge('r1', 'late')],
        groups: [{ groupId: 'g', memberNodeIds: ['r1', 'r2'], expectedSteps: 2, quorum: 1 }],
      }),
    );
    run.advance(100).fireDueTimers();
    expect(run.steps('late')).toHaveLength(1);
    run.decide('r2', 'u2', 'approve');
    expect(run.eventsOf('group.quorum-met')[0]?.data).toMatchObject({ total: 1, completedTotal: 2 });
  });
});

describe('parallel groups: late members', () => {
  it('a member created after cancelOnQuorum side effects ran is cancelled at once', () => {
    const run = Run.start(
      def({
        nodes: [human('r1', [['u1', true]]), agent('a'), human('r2', [['u2', true]])],
        edges: [edge('a', 'r2')],
        groups: [{ groupId: 'g', memberNodeIds: ['r1', 'r2'], expectedSteps: 2, quorum: 1, onQuorumMet: 'cancelOnQuorum' }],
      }),
    );
    run.decide('r1', 'u1', 'approve');
    run.agentDone('a');
    expect(run.step('r2').status).toBe('cancelled');
    expect(run.eventsOf('step.cancelled')[0]?.data).toEqual({ actorId: 'system:group-quorum', reason: 'group-quorum-met' });
    expect(run.eventsOf('parallel-group.completed')).toHaveLength(1);
    expect(run.state.status).toBe('completed');
  });
});
