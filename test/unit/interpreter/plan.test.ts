import { describe, expect, it } from 'vitest';
import type { CanonicalDefinition } from '../../../src/core/definition';
import { buildPlan, DEFAULT_AGENT_MAX_RUNTIME_MS, DEFAULT_LOOP_PREDICATE } from '../../../src/core/interpreter';
import { agent, approveGate, def, edge, expectEngineError, human } from './harness';

describe('buildPlan', () => {
  it('roots: nodes without incoming edges, exhausted routes excluded', () => {
    const plan = buildPlan(
      def({
        nodes: [agent('a'), human('h', [['u', true]]), agent('b'), agent('escalate'), agent('free')],
        edges: [edge('a', 'h'), edge('h', 'b', approveGate)],
        loops: [{ loopId: 'l', entryNodeId: 'a', bodyNodeIds: ['a', 'h'], maxIterations: 2, onExhausted: { routeToNodeId: 'escalate' } }],
      }),
    );
    expect(plan.roots).toEqual(['a', 'free']);
    expect(plan.loops.get('l')).toMatchObject({
      terminal: { kind: 'node', nodeId: 'h' },
      exhaustedRoute: 'escalate',
      predicate: DEFAULT_LOOP_PREDICATE,
    });
    expect(plan.nodes.get('h')).toMatchObject({ loopId: 'l', groupId: null });
    expect(plan.nodes.get('h')?.out[0]?.when).toEqual({ op: 'eq', args: [{ var: 'output.decision' }, 'approve'] });
  });

  it('group-bounded loop bodies and join successors', () => {
    const plan = buildPlan(
      def({
        nodes: [agent('d'), human('x', [['u', true]]), human('y', [['v', true]]), agent('p'), agent('q')],
        edges: [edge('d', 'x'), edge('d', 'y'), edge('x', 'p'), edge('y', 'p'), edge('x', 'q'), edge('y', 'q')],
        groups: [{ groupId: 'g', memberNodeIds: ['x', 'y'], expectedSteps: 2, quorum: 2, onQuorumMet: 'joinOnQuorum' }],
        loops: [{ loopId: 'l', entryNodeId: 'd', bodyNodeIds: ['d', 'x', 'y'], maxIterations: 3 }],
      }),
    );
    expect(plan.loops.get('l')?.terminal).toEqual({ kind: 'group', groupId: 'g' });
    expect(plan.groups.get('g')).toMatchObject({ successors: ['p', 'q'], boundsLoopId: 'l', policy: 'joinOnQuorum', required: [] });
  });

  it('a body with no outward edge ends at its single sink', () => {
    const plan = buildPlan(
      def({ nodes: [human('h', [['u', true]])], loops: [{ loopId: 'l', entryNodeId: 'h', bodyNodeIds: ['h'], maxIterations: 2 }] }),
    );
    expect(plan.loops.get('l')?.terminal).toEqual({ kind: 'node', nodeId: 'h' });
  });

  it('config readers: defaults and legacy forms', () => {
    const plan = buildPlan(
      def({
        nodes: [
          agent('a'),
          agent('b', {
            blocking: true,
            resolutionPolicy: { kind: 'minResolved', minCount: 3 },
            agentMaxRuntimeMs: 5,
            requireNonEmptyOutput: true,
          }),
          human('h', ['x', 'y']),
          { nodeId: 's', type: 'agent', config: { agentId: 'z', blocking: false }, slaMs: 100 },
        ],
        groups: [{ groupId: 'g', memberNodeIds: ['h'], expectedSteps: 1, quorum: 1 }],
      }),
    );
    expect(plan.nodes.get('a')?.agent).toMatchObject({
      blocking: false,
      maxRuntimeMs: DEFAULT_AGENT_MAX_RUNTIME_MS,
      requireNonEmptyOutput: false,
      urlPath: null,
    });
    expect(plan.nodes.get('b')?.agent).toMatchObject({
      blocking: true,
      policy: { kind: 'minResolved', minCount: 3 },
      maxRuntimeMs: 5,
      requireNonEmptyOutput: true,
    });
    expect(plan.nodes.get('h')?.human?.reviewers).toEqual([
      { userId: 'x', mandatory: true },
      { userId: 'y', mandatory: true },
    ]);
    expect(plan.nodes.get('s')?.slaMs).toBe(100);
    expect(plan.groups.get('g')?.policy).toBe('waitAll');
  });

  it('an uncompilable when or a dangling edge is INVALID_ARGUMENT', () => {
    expectEngineError(
      () => buildPlan(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', '{"op":"nope","args":[]}')] })),
      'INVALID_ARGUMENT',
      /edge a -> b/,
    );
    expectEngineError(() => buildPlan(def({ nodes: [agent('a')], edges: [edge('a', 'ghost')] })), 'INVALID_ARGUMENT', /dangling-edge/);
  });

  it('reads the stored canonical definition as is (optional and null fields)', () => {
    const canonical: CanonicalDefinition = {
      definitionId: 'x-def',
      name: 'X',
      description: null,
      scope: { level: 'apiKey', organizationId: null, documentId: null },
      nodes: [
        {
          nodeId: 'h',
          type: 'human',
          config: { reviewers: [{ userId: 'u', mandatory: true }], reviewerEmails: [], commentBody: 'x' },
          slaMs: 10,
        },
        { nodeId: 'a', type: 'agent', config: { agentId: '__mock__', blocking: false } },
      ],
      edges: [{ from: 'h', to: 'a', when: null }],
      groups: null,
      loops: [
        {
          loopId: 'l',
          entryNodeId: 'h',
          bodyNodeIds: ['h'],
          maxIterations: 5,
          onIterationReject: { when: undefined },
          onExhausted: undefined,
        },
      ],
      triggers: null,
      tags: null,
      custom: null,
      authoredOnReject: [],
    };
    expect(buildPlan(canonical).roots).toEqual(['h']);
  });
});
