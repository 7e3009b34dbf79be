import { describe, expect, it } from 'vitest';
import { validateDefinition, type CanonicalDefinition } from '../../../src/core/definition';
import { buildPlan, toExecutionView } from '../../../src/core/interpreter';
import { canonical } from '../../fixtures/canonical-definitions';
import { def, human as canonicalHuman, Run } from './harness';

/*
 * Groups as edge sources (docs/g3.md): written in the G3 edge model, compiled by the real write
 * pipeline, run by the interpreter.
 */

const group = { kind: 'group', groupId: 'review' } as const;
// Every agent here reads its URL from `documentUrl` (G3 agents need one: docs/behaviour.md, "G3 runtime").
const startRun = (definition: CanonicalDefinition): Run => Run.start(definition, { documentUrl: 'https://example.com/doc' });
const reviewer = (nodeId: string, userId: string) => ({
  nodeId,
  type: 'human',
  config: { reviewers: [{ userId, mandatory: true }] },
});
const agentNode = (nodeId: string, mock?: Record<string, unknown>) => ({
  nodeId,
  type: 'agent',
  config: { agentId: '__mock__', urlPath: 'documentUrl', ...(mock ? { inputMapping: { mock } } : {}) },
});

/** The write pipeline without the reject-path rule, for runs that show what happens with no reject route. */
const lenient = (input: unknown): CanonicalDefinition => {
  const result = validateDefinition(input, 'lenient');
  if (!result.ok) throw result.error;
  return result.definition;
};

/** Three parallel reviewers fed by a draft agent, as one group with its own branches. */
const panel = (
  policy: 'waitAll' | 'cancelOnQuorum' | 'joinOnQuorum',
  edges: unknown[],
  quorum = 3,
  members: unknown[] = [],
  pipeline: (input: unknown) => CanonicalDefinition = canonical,
) =>
  pipeline({
    definitionId: `panel-${policy.toLowerCase()}`,
    name: 'Panel',
    nodes: [
      agentNode('draft'),
      ...(members.length > 0 ? members : [reviewer('legal', 'u_legal'), reviewer('brand', 'u_brand'), reviewer('finance', 'u_fin')]),
      agentNode('publish'),
      agentNode('rework'),
    ],
    edges: [{ from: 'draft', to: group }, ...edges],
    groups: [{ groupId: 'review', memberNodeIds: ['legal', 'brand', 'finance'], expectedSteps: 3, quorum, onQuorumMet: policy }],
  });

const bothBranches = [
  { from: group, to: 'publish', on: 'approve' },
  { from: group, to: 'rework', on: 'reject' },
];

describe('a waitAll group as an edge source: one branch by unanimity once every member ended', () => {
  it('all approve: only the approve branch, once, as group_<groupId>__to__<node>', () => {
    const run = startRun(panel('waitAll', bothBranches));
    run.runAgents();
    run.decide('legal', 'u_legal', 'approve');
    run.decide('brand', 'u_brand', 'approve');
    expect(run.steps('publish')).toHaveLength(0);
    run.decide('finance', 'u_fin', 'approve');
    expect(run.steps('publish').map((step) => step.stepId)).toEqual(['group_review__to__publish']);
    expect(run.steps('rework')).toHaveLength(0);
    run.runAgents();
    expect(run.state.status).toBe('completed');
    const publish = toExecutionView(run.state).steps.find((step) => step.nodeId === 'publish');
    expect(publish?.input).toMatchObject({ groupId: 'review', totalApproved: 3 });
    expect(Object.keys(publish?.input?.groupOutputs ?? {})).toEqual(['legal', 'brand', 'finance']);
  });

  it('one rejects: the reject branch once the others ended; the rejecter completed with decision reject; the run completes', () => {
    const run = startRun(panel('waitAll', bothBranches));
    run.runAgents();
    run.decide('brand', 'u_brand', 'reject', 'off-brand');
    expect(run.steps('rework')).toHaveLength(0);
    run.decide('legal', 'u_legal', 'approve');
    run.decide('finance', 'u_fin', 'approve');
    expect(run.steps('rework').map((step) => step.stepId)).toEqual(['group_review__to__rework']);
    expect(run.steps('publish')).toHaveLength(0);
    expect(run.step('brand')).toMatchObject({ status: 'completed', output: { decision: 'reject' } });
    run.runAgents();
    expect(run.state.status).toBe('completed');
    expect(run.state.failureReason).toBeNull();
  });

  it('no branch matches the verdict: nothing fires and the run still completes', () => {
    const run = startRun(panel('waitAll', [{ from: group, to: 'publish', on: 'approve' }], 3, [], lenient));
    run.runAgents();
    run.decide('legal', 'u_legal', 'reject');
    run.decide('brand', 'u_brand', 'approve');
    run.decide('finance', 'u_fin', 'approve');
    expect(run.steps('publish')).toHaveLength(0);
    expect(run.state.status).toBe('completed');
  });

  it('a custom branch reads the group verdict: here, at least two approvals whatever the unanimity', () => {
    const twoOrMore = JSON.stringify({ op: 'gte', args: [{ var: 'output.totalApproved' }, 2] });
    const definition = panel('waitAll', [...bothBranches, { from: group, to: 'publish', on: 'custom', when: twoOrMore }]);
    expect(
      buildPlan(definition)
        .groups.get('review')
        ?.collective.map((branch) => branch.to),
    ).toEqual(['publish', 'rework', 'publish']);
    const run = startRun(definition);
    run.runAgents();
    run.decide('legal', 'u_legal', 'approve');
    run.decide('brand', 'u_brand', 'reject');
    run.decide('finance', 'u_fin', 'approve');
    expect(run.steps('rework')).toHaveLength(1);
    expect(run.steps('publish').map((step) => step.stepId)).toEqual(['group_review__to__publish']);
  });

  it("a failed member's failure is routed by the reject branch", () => {
    const members = [reviewer('legal', 'u_legal'), agentNode('brand', { fail: true }), reviewer('finance', 'u_fin')];
    const run = startRun(panel('waitAll', bothBranches, 3, members));
    run.agentDone('draft');
    run.agentFail('brand');
    run.decide('legal', 'u_legal', 'approve');
    run.decide('finance', 'u_fin', 'approve');
    expect(run.steps('rework')).toHaveLength(1);
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('a failed member with no branch for the reject verdict fails the run once the group has ended', () => {
    const members = [reviewer('legal', 'u_legal'), agentNode('brand', { fail: true }), reviewer('finance', 'u_fin')];
    const run = startRun(
      panel(
        'waitAll',
        [
          { from: group, to: 'publish', on: 'approve' },
          { from: 'legal', to: 'rework', on: 'reject' },
        ],
        3,
        members,
        lenient,
      ),
    );
    run.agentDone('draft');
    run.agentFail('brand');
    expect(run.state.pendingFailure).toBeNull();
    run.decide('legal', 'u_legal', 'approve');
    run.decide('finance', 'u_fin', 'approve');
    expect(run.state.status).toBe('failed');
    expect(run.state.failureReason?.code).toBe('step-failed');
  });
});

describe('cancelOnQuorum and joinOnQuorum groups as edge sources', () => {
  it('cancelOnQuorum: one collective successor on quorum, siblings cancelled, members keep their own edges', () => {
    const run = startRun(
      panel(
        'cancelOnQuorum',
        [
          { from: group, to: 'publish', on: 'approve' },
          { from: 'legal', to: 'rework', on: 'always' },
        ],
        2,
        [],
        lenient,
      ),
    );
    run.runAgents();
    run.decide('legal', 'u_legal', 'approve');
    expect(run.steps('publish')).toHaveLength(0);
    expect(run.steps('rework')).toHaveLength(1);
    run.decide('finance', 'u_fin', 'approve');
    expect(run.steps('publish').map((step) => step.stepId)).toEqual(['group_review__to__publish']);
    expect(run.step('brand').status).toBe('cancelled');
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('joinOnQuorum: the group-source approve edge is the join', () => {
    const run = startRun(
      panel('joinOnQuorum', [
        { from: group, to: 'publish', on: 'approve' },
        { from: group, to: 'draft', on: 'reject', loop: { maxIterations: 2 } },
      ]),
    );
    run.runAgents();
    run.decide('legal', 'u_legal', 'approve');
    run.decide('brand', 'u_brand', 'approve');
    run.decide('finance', 'u_fin', 'approve');
    expect(run.steps('publish').map((step) => step.stepId)).toEqual(['group_review__to__publish']);
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('a G2 cancelOnQuorum group without branches of its own keeps its state as before', () => {
    const run = startRun(
      def({
        nodes: [canonicalHuman('r1', [['u1', true]]), canonicalHuman('r2', [['u2', true]]), canonicalHuman('r3', [['u3', true]])],
        edges: [],
        groups: [{ groupId: 'g', memberNodeIds: ['r1', 'r2', 'r3'], expectedSteps: 3, quorum: 2, onQuorumMet: 'cancelOnQuorum' }],
      }),
    );
    run.decide('r1', 'u1', 'approve');
    run.decide('r2', 'u2', 'approve');
    expect(run.state.groups[0]?.joinedStepIds).toBeNull();
    expect(run.state.status).toBe('completed');
  });
});

describe('a group reject back-edge (the marketing-copy workflow)', () => {
  const marketing = (exhausted: boolean) =>
    canonical({
      definitionId: 'marketing-copy-approval',
      name: 'Marketing copy approval',
      nodes: [
        agentNode('agent-draft'),
        reviewer('human-legal', 'u_legal_01'),
        reviewer('human-brand', 'u_brand_01'),
        agentNode('agent-publish'),
        ...(exhausted ? [agentNode('escalate')] : []),
      ],
      edges: [
        { from: 'agent-draft', to: 'human-legal' },
        { from: 'agent-draft', to: 'human-brand' },
        { from: 'human-legal', to: 'agent-publish' },
        { from: 'human-brand', to: 'agent-publish' },
        { from: { kind: 'group', groupId: 'parallel-review' }, to: 'agent-draft', on: 'reject', loop: { maxIterations: 2 } },
        ...(exhausted ? [{ from: { kind: 'group', groupId: 'parallel-review' }, to: 'escalate', on: 'exhausted' }] : []),
      ],
      groups: [
        {
          groupId: 'parallel-review',
          memberNodeIds: ['human-legal', 'human-brand'],
          expectedSteps: 2,
          quorum: 2,
          onQuorumMet: 'joinOnQuorum',
        },
      ],
    });

  it('a rejection rewinds the stage; approvals on the second iteration publish once', () => {
    const run = startRun(marketing(false));
    run.runAgents();
    run.decide('human-legal', 'u_legal_01', 'reject', 'cite sources');
    expect(run.step('human-brand').status).toBe('cancelled');
    expect(run.eventsOf('loop.iteration-started')[0]?.data).toMatchObject({
      loopId: 'reject_group_parallel-review__to__agent-draft',
      iteration: 2,
    });
    run.runAgents();
    run.decide('human-legal', 'u_legal_01', 'approve');
    run.decide('human-brand', 'u_brand_01', 'approve');
    expect(run.steps('agent-publish').map((step) => step.stepId)).toEqual(['group_parallel-review__to__agent-publish__iter_2']);
    run.runAgents();
    expect(run.state.status).toBe('completed');
  });

  it('the cap: the exhausted route runs, or the run fails without one', () => {
    for (const exhausted of [true, false]) {
      const run = startRun(marketing(exhausted));
      for (let i = 0; i < 2; i += 1) {
        run.runAgents();
        run.decide('human-brand', 'u_brand_01', 'reject');
      }
      expect(run.eventsOf('loop.exhausted')).toHaveLength(1);
      run.runAgents();
      if (exhausted) {
        expect(run.steps('escalate').map((step) => step.stepId)).toEqual([
          'loop_reject_group_parallel-review__to__agent-draft__exhausted__to__escalate',
        ]);
        expect(run.state.status).toBe('completed');
      } else {
        expect(run.state.status).toBe('failed');
        expect(run.state.failureReason?.code).toBe('loop-exhausted');
      }
    }
  });
});

describe('plan.generation', () => {
  it('is g3 for a definition in the edge model, g2 otherwise and for records stored without one', () => {
    expect(buildPlan(panel('waitAll', bothBranches)).generation).toBe('g3');
    expect(buildPlan(def({ nodes: [canonicalHuman('r', [['u', true]])] })).generation).toBe('g2');
  });
});
