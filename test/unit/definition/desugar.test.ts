import { describe, expect, it } from 'vitest';
import { REJECT_WHEN } from '../../../src/core/definition';
import { APPROVE, MANDATORY_REJECT, REJECT, agent, codesOf, definition, edge, expectValid, human, messagesOf } from './helpers';

describe('onReject Form A: routeToNodeId', () => {
  const formA = definition({
    nodes: [agent('draft'), human('review', { onReject: { routeToNodeId: 'rework' } }), agent('publish'), agent('rework')],
    edges: [edge('draft', 'review'), edge('review', 'publish', APPROVE)],
  });

  it('appends a reject-gated edge and strips onReject', () => {
    const stored = expectValid(formA);
    expect(stored.edges).toEqual([
      { from: 'draft', to: 'review', when: null },
      { from: 'review', to: 'publish', when: APPROVE },
      { from: 'review', to: 'rework', when: REJECT },
    ]);
    expect(stored.nodes[1]).toEqual({
      nodeId: 'review',
      type: 'human',
      config: { reviewers: [{ userId: 'review-reviewer', mandatory: true }] },
    });
    expect(stored.loops).toBeNull();
    expect(stored.authoredOnReject).toEqual([{ nodeId: 'review', onReject: { routeToNodeId: 'rework' } }]);
  });

  it('the synthesized gate is the canonical eq(output.decision, "reject")', () => {
    expect(REJECT_WHEN).toBe('{"op":"eq","args":[{"var":"output.decision"},"reject"]}');
  });

  it('an authored edge to the same node with another gate is not a duplicate', () => {
    const input = definition({
      nodes: [human('review', { onReject: { routeToNodeId: 'rework' } }), agent('rework')],
      edges: [edge('review', 'rework', APPROVE)],
    });
    expect(expectValid(input).edges).toHaveLength(2);
  });
});

describe('onReject Form B: loopBack', () => {
  const loopBackInput = (loopBack: Record<string, unknown>, extraNodes: Record<string, unknown>[] = []) =>
    definition({
      nodes: [
        agent('intake'),
        agent('draft'),
        agent('polish'),
        human('review', { onReject: { loopBack } }),
        agent('publish'),
        ...extraNodes,
      ],
      edges: [edge('intake', 'draft'), edge('draft', 'polish'), edge('polish', 'review'), edge('review', 'publish', APPROVE)],
    });

  it('synthesizes auto_<nodeId>_loopback with the inferred body and the defaults', () => {
    const stored = expectValid(loopBackInput({ toNodeId: 'draft' }));
    expect(stored.loops).toEqual([
      {
        loopId: 'auto_review_loopback',
        entryNodeId: 'draft',
        bodyNodeIds: ['draft', 'polish', 'review'],
        onIterationReject: { when: MANDATORY_REJECT },
        maxIterations: 5,
      },
    ]);
    expect(stored.edges).toHaveLength(4);
  });

  it('keeps maxIterations, onExhausted and a custom predicate', () => {
    const stored = expectValid(
      loopBackInput({ toNodeId: 'polish', maxIterations: 2, onExhausted: { routeToNodeId: 'escalate' }, when: REJECT }, [
        agent('escalate'),
      ]),
    );
    expect(stored.loops).toEqual([
      {
        loopId: 'auto_review_loopback',
        entryNodeId: 'polish',
        bodyNodeIds: ['polish', 'review'],
        onIterationReject: { when: REJECT },
        onExhausted: { routeToNodeId: 'escalate' },
        maxIterations: 2,
      },
    ]);
  });

  it('the body is the intersection of forward- and backward-reachable nodes, side branches excluded', () => {
    const stored = expectValid(
      definition({
        nodes: [
          agent('a'),
          agent('b'),
          agent('side'),
          agent('c'),
          human('h', { onReject: { loopBack: { toNodeId: 'a' } } }),
          agent('before'),
        ],
        edges: [edge('before', 'a'), edge('a', 'b'), edge('a', 'side'), edge('b', 'h'), edge('a', 'c'), edge('c', 'h')],
      }),
    );
    expect(stored.loops?.[0]?.bodyNodeIds).toEqual(['a', 'b', 'c', 'h']);
  });

  it('a body may run along an edge synthesized by Form A', () => {
    const stored = expectValid(
      definition({
        nodes: [
          agent('a'),
          human('gate', { onReject: { routeToNodeId: 'fix' } }),
          agent('fix'),
          human('final', { onReject: { loopBack: { toNodeId: 'a' } } }),
        ],
        edges: [edge('a', 'gate'), edge('fix', 'final')],
      }),
    );
    expect(stored.loops?.[0]?.bodyNodeIds).toEqual(['a', 'gate', 'fix', 'final']);
  });
});

describe('onReject desugaring: the six failures', () => {
  const reviewNodes = (onReject: Record<string, unknown>) => [
    agent('draft'),
    human('review', { onReject }),
    agent('publish'),
    agent('rework'),
  ];
  const baseEdges = [edge('draft', 'review'), edge('review', 'publish', APPROVE)];

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      '1. routeToNodeId names no node',
      definition({ nodes: reviewNodes({ routeToNodeId: 'ghost' }), edges: baseEdges }),
      'on-reject-node-not-found',
      'on-reject-node-not-found: data.nodes[1].config.onReject.routeToNodeId: "ghost" is not a declared node',
    ],
    [
      '1. loopBack.toNodeId names no node',
      definition({ nodes: reviewNodes({ loopBack: { toNodeId: 'ghost' } }), edges: baseEdges }),
      'on-reject-node-not-found',
      'on-reject-node-not-found: data.nodes[1].config.onReject.loopBack.toNodeId: "ghost" is not a declared node',
    ],
    [
      '1. loopBack.onExhausted.routeToNodeId names no node',
      definition({ nodes: reviewNodes({ loopBack: { toNodeId: 'draft', onExhausted: { routeToNodeId: 'ghost' } } }), edges: baseEdges }),
      'on-reject-node-not-found',
      'on-reject-node-not-found: data.nodes[1].config.onReject.loopBack.onExhausted.routeToNodeId: "ghost" is not a declared node',
    ],
    [
      '2. the synthesized edge duplicates an authored one',
      definition({
        nodes: reviewNodes({ routeToNodeId: 'rework' }),
        edges: [...baseEdges, edge('review', 'rework', "output.decision == 'reject'")],
      }),
      'on-reject-duplicate-edge',
      'on-reject-duplicate-edge: data.nodes[1].config.onReject.routeToNodeId: the synthesized reject edge review -> rework duplicates edges[2] review -> rework; remove one of them',
    ],
    [
      '3. an unconditional edge next to routeToNodeId',
      definition({ nodes: reviewNodes({ routeToNodeId: 'rework' }), edges: [edge('draft', 'review'), edge('review', 'publish')] }),
      'on-reject-unconditional-edge',
      'on-reject-unconditional-edge: data.nodes[1].config.onReject.routeToNodeId: "review" also has the unconditional edges[1] review -> publish, which would fire on reject too; gate it (e.g. on output.decision == "approve")',
    ],
    [
      '4. no path from toNodeId to the node',
      definition({ nodes: reviewNodes({ loopBack: { toNodeId: 'publish' } }), edges: baseEdges }),
      'on-reject-empty-body',
      'on-reject-empty-body: data.nodes[1].config.onReject.loopBack.toNodeId: no path from "publish" to "review" along edges, so the loop body would be empty',
    ],
    [
      '5. the node is already in another loop',
      definition({
        nodes: reviewNodes({ loopBack: { toNodeId: 'draft' } }),
        edges: baseEdges,
        loops: [{ loopId: 'manual', entryNodeId: 'review', bodyNodeIds: ['review'], maxIterations: 2 }],
      }),
      'on-reject-loop-overlap',
      'on-reject-loop-overlap: data.nodes[1].config.onReject.loopBack: "review" is already in the body of loop "manual"',
    ],
    [
      '5. the inferred body overlaps another loop',
      definition({
        nodes: reviewNodes({ loopBack: { toNodeId: 'draft' } }),
        edges: baseEdges,
        loops: [{ loopId: 'manual', entryNodeId: 'draft', bodyNodeIds: ['draft'], maxIterations: 2 }],
      }),
      'on-reject-loop-overlap',
      'on-reject-loop-overlap: data.nodes[1].config.onReject.loopBack: the inferred body [draft, review] overlaps loop "manual" on draft',
    ],
    [
      '6. loopBack.toNodeId is the node itself',
      definition({ nodes: reviewNodes({ loopBack: { toNodeId: 'review' } }), edges: baseEdges }),
      'on-reject-loop-to-self',
      'on-reject-loop-to-self: data.nodes[1].config.onReject.loopBack.toNodeId: a node cannot loop back to itself ("review")',
    ],
  ])('%s', (_name, input, code, message) => {
    expect(codesOf(input)).toEqual([code]);
    expect(messagesOf(input)).toEqual([message]);
  });

  it('an overlap between two synthesized loops is caught too', () => {
    const input = definition({
      nodes: [
        agent('a'),
        human('h1', { onReject: { loopBack: { toNodeId: 'a' } } }),
        human('h2', { onReject: { loopBack: { toNodeId: 'a' } } }),
      ],
      edges: [edge('a', 'h1'), edge('h1', 'h2', APPROVE)],
    });
    expect(messagesOf(input)).toEqual([
      'on-reject-loop-overlap: data.nodes[2].config.onReject.loopBack: the inferred body [a, h1, h2] overlaps loop "auto_h1_loopback" on a, h1',
    ]);
  });

  it('reports every failing shorthand, and stops before strict mode and the linter', () => {
    const input = definition({
      nodes: [
        human('h1', { onReject: { routeToNodeId: 'ghost' } }),
        human('h2', { onReject: { loopBack: { toNodeId: 'h2' } } }),
        human('lonely'),
        agent('a'),
        agent('a'),
      ],
      edges: [edge('h1', 'h2', APPROVE)],
    });
    expect(codesOf(input)).toEqual(['on-reject-node-not-found', 'on-reject-loop-to-self']);
  });
});
