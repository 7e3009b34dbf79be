import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/core/errors';
import { rootNodeIds, validateDefinition } from '../../../src/core/definition';
import { APPROVE, BREACHED, MANDATORY_REJECT, REJECT, agent, codesOf, definition, edge, expectValid, human, messagesOf } from './helpers';

/** The contract's published create example: rejected under strict mode (docs/api.md, "Nodes"). */
const publishedParallelReview = {
  definitionId: 'marketing-copy-approval',
  name: 'Marketing copy approval',
  scope: { level: 'apiKey' },
  nodes: [
    { nodeId: 'agent-draft', type: 'agent', config: { agentId: 'copy-agent-v1' } },
    { nodeId: 'human-legal', type: 'human', config: { reviewers: [{ userId: 'u_legal_01', mandatory: true }] } },
    { nodeId: 'human-brand', type: 'human', config: { reviewers: [{ userId: 'u_brand_01', mandatory: true }] } },
    { nodeId: 'agent-publish', type: 'agent', config: { agentId: 'publish-agent-v1' } },
  ],
  edges: [
    { from: 'agent-draft', to: 'human-legal' },
    { from: 'agent-draft', to: 'human-brand' },
    { from: 'human-legal', to: 'agent-publish' },
    { from: 'human-brand', to: 'agent-publish' },
  ],
  groups: [
    { groupId: 'parallel-review', memberNodeIds: ['human-legal', 'human-brand'], expectedSteps: 2, quorum: 2, onQuorumMet: 'joinOnQuorum' },
  ],
};

/** The conforming version: a loop region covering both reviewers, bounded by the joinOnQuorum group. */
const strictParallelReview = {
  ...publishedParallelReview,
  nodes: [...publishedParallelReview.nodes, { nodeId: 'agent-escalate', type: 'agent', config: { agentId: '__mock__' } }],
  loops: [
    {
      loopId: 'review-round',
      entryNodeId: 'agent-draft',
      bodyNodeIds: ['agent-draft', 'human-legal', 'human-brand'],
      maxIterations: 3,
      onExhausted: { routeToNodeId: 'agent-escalate' },
    },
  ],
};

/** Seed 004 walkthrough: one approval; approve publishes, reject routes to a follow-up (both __mock__). */
const seedWalkthrough = {
  definitionId: 'first-approval',
  name: 'First approval',
  nodes: [
    {
      nodeId: 'human-approval',
      type: 'human',
      config: { reviewers: [{ userId: 'u_reviewer_01', mandatory: true }], onReject: { routeToNodeId: 'agent-follow-up' } },
    },
    { nodeId: 'agent-publish', type: 'agent', config: { agentId: '__mock__' } },
    { nodeId: 'agent-follow-up', type: 'agent', config: { agentId: '__mock__' } },
  ],
  edges: [{ from: 'human-approval', to: 'agent-publish', when: "output.decision == 'approve'" }],
};

describe('documented examples under strict mode', () => {
  it('the published create example is refused: its reviewers have no reject path', () => {
    expect(messagesOf(publishedParallelReview)).toEqual(['Human nodes missing a reject path: human-legal, human-brand']);
  });

  it('the published example with a group-bounded loop over both reviewers is valid', () => {
    const stored = expectValid(strictParallelReview);
    expect(stored.loops).toEqual(strictParallelReview.loops);
    expect(stored.edges.every((found) => found.when === null)).toBe(true);
    expect(rootNodeIds(stored)).toEqual(['agent-draft']);
  });

  it('the published example with Form A on both joinOnQuorum members (same route) passes too', () => {
    const withRoutes = {
      ...publishedParallelReview,
      nodes: [
        publishedParallelReview.nodes[0],
        human('human-legal', { onReject: { routeToNodeId: 'agent-revise' } }),
        human('human-brand', { onReject: { routeToNodeId: 'agent-revise' } }),
        publishedParallelReview.nodes[3],
        agent('agent-revise'),
      ],
      edges: publishedParallelReview.edges.map((found) => (found.from === 'agent-draft' ? found : { ...found, when: APPROVE })),
    };
    expect(expectValid(withRoutes).edges.slice(4)).toEqual([
      { from: 'human-legal', to: 'agent-revise', when: REJECT },
      { from: 'human-brand', to: 'agent-revise', when: REJECT },
    ]);
  });

  it('the seed 004 walkthrough is valid and stores the synthesized reject edge', () => {
    const stored = expectValid(seedWalkthrough);
    expect(stored.edges).toEqual([
      { from: 'human-approval', to: 'agent-publish', when: APPROVE },
      { from: 'human-approval', to: 'agent-follow-up', when: REJECT },
    ]);
    expect(stored.nodes.map((node) => node.config)).toEqual([
      { reviewers: [{ userId: 'u_reviewer_01', mandatory: true }] },
      { agentId: '__mock__', blocking: false },
      { agentId: '__mock__', blocking: false },
    ]);
    expect(rootNodeIds(stored)).toEqual(['human-approval']);
  });
});

describe('validateDefinition: result and error envelope', () => {
  it('returns the canonical definition with unset optionals as null', () => {
    expect(expectValid(definition())).toEqual({
      definitionId: 'test-definition',
      name: 'Test definition',
      description: null,
      scope: { level: 'apiKey', organizationId: null, documentId: null },
      nodes: [{ nodeId: 'start', type: 'agent', config: { agentId: '__mock__', blocking: false } }],
      edges: [],
      groups: null,
      loops: null,
      triggers: null,
      tags: null,
      custom: null,
      authoredOnReject: [],
    });
  });

  it('keeps set optionals and the scope ids as sent', () => {
    const stored = expectValid(
      definition({
        description: 'Legal sign-off',
        scope: { level: 'document' },
        organizationId: 'org-1',
        documentId: 'doc-9',
        groups: [],
        triggers: [{ triggerId: 't1', eventName: 'doc.created' }],
        tags: ['legal'],
        custom: { owner: 'ops' },
      }),
    );
    expect(stored).toMatchObject({
      description: 'Legal sign-off',
      scope: { level: 'document', organizationId: 'org-1', documentId: 'doc-9' },
      groups: [],
      triggers: [{ triggerId: 't1', eventName: 'doc.created' }],
      tags: ['legal'],
      custom: { owner: 'ops' },
    });
  });

  it('fails with INVALID_ARGUMENT: the first violation as message, all of them in details', () => {
    const result = validateDefinition(
      definition({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b'), edge('b', 'a'), edge('a', 'ghost')] }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(EngineError);
    expect(result.error.toBody()).toEqual({
      status: 'INVALID_ARGUMENT',
      message: 'dangling-edge: edges[2] a -> ghost: "ghost" is not a declared node',
      details: {
        violations: [
          { code: 'dangling-edge', message: 'dangling-edge: edges[2] a -> ghost: "ghost" is not a declared node' },
          { code: 'cycle-detected', message: 'cycle-detected: a -> b -> a' },
          {
            code: 'unreachable-node',
            message: 'unreachable-node: "a" cannot be reached from any root node (a node with no incoming edges)',
          },
          {
            code: 'unreachable-node',
            message: 'unreachable-node: "b" cannot be reached from any root node (a node with no incoming edges)',
          },
        ],
      },
    });
  });

  it('a message for a cycle starts with its code', () => {
    expect(
      messagesOf(definition({ nodes: [agent('r'), agent('a'), agent('b')], edges: [edge('r', 'a'), edge('a', 'b'), edge('b', 'a')] })),
    ).toEqual(['cycle-detected: a -> b -> a']);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['an array', []],
    ['a string', 'definition'],
  ])('refuses %s as input without throwing', (_name, input) => {
    expect(codesOf(input)).toEqual(['invalid-field']);
  });

  it('does not mutate its input', () => {
    const input = structuredClone(seedWalkthrough);
    const deepFreeze = (value: unknown): void => {
      if (typeof value === 'object' && value !== null) {
        Object.freeze(value);
        Object.values(value).forEach(deepFreeze);
      }
    };
    deepFreeze(input);
    expectValid(input);
    expect(input).toEqual(seedWalkthrough);
  });
});

describe('validateDefinition: stage order schema → when → desugar → strict mode → linter', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a schema error hides every later stage',
      definition({
        name: '',
        nodes: [human('h', { onReject: { routeToNodeId: 'ghost' } }), agent('a'), agent('a')],
        edges: [edge('h', 'a', '{"op":')],
      }),
      ['invalid-field'],
    ],
    [
      'a when error hides desugaring, strict mode and the linter',
      definition({
        nodes: [human('h', { onReject: { routeToNodeId: 'ghost' } }), human('bare'), agent('a'), agent('a')],
        edges: [edge('h', 'a', '{"op":')],
      }),
      ['invalid-when'],
    ],
    [
      'a desugaring error hides strict mode and the linter',
      definition({ nodes: [human('h', { onReject: { routeToNodeId: 'ghost' } }), human('bare'), agent('a'), agent('a')] }),
      ['on-reject-node-not-found'],
    ],
    [
      'strict mode and the linter report together',
      definition({ nodes: [human('bare'), agent('a'), agent('a')], edges: [edge('a', 'bare')] }),
      ['missing-reject-path', 'duplicate-node-id'],
    ],
  ])('%s', (_name, input, codes) => {
    expect(codesOf(input)).toEqual(codes);
  });

  it('the linter sees synthesized edges: a reject route back upstream is a cycle', () => {
    const input = definition({
      nodes: [agent('draft'), human('review', { onReject: { routeToNodeId: 'draft' } })],
      edges: [edge('draft', 'review')],
    });
    expect(messagesOf(input)[0]).toBe('cycle-detected: draft -> review -> draft');
  });

  it('the linter sees synthesized loops: an authored loop with the synthesized id is a duplicate', () => {
    const input = definition({
      nodes: [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a' } } }), agent('x')],
      edges: [edge('a', 'h')],
      loops: [{ loopId: 'auto_h_loopback', entryNodeId: 'x', bodyNodeIds: ['x'], maxIterations: 2 }],
    });
    expect(messagesOf(input)).toEqual(['loop-duplicate-id: "auto_h_loopback" is declared 2 times']);
  });

  it('a loopBack whose onExhausted route lies in the inferred body fails the linter', () => {
    const input = definition({
      nodes: [agent('a'), agent('b'), human('h', { onReject: { loopBack: { toNodeId: 'a', onExhausted: { routeToNodeId: 'b' } } } })],
      edges: [edge('a', 'b'), edge('b', 'h')],
    });
    expect(codesOf(input)).toEqual(['loop-on-exhausted-route-to-in-body']);
  });

  it('a synthesized reject edge does not count as a breach route', () => {
    const input = definition({
      nodes: [human('h', { onReject: { routeToNodeId: 'x' } }, { slaMs: 60_000 }), agent('x'), agent('p')],
      edges: [edge('h', 'p', APPROVE)],
    });
    expect(codesOf(input)).toEqual(['missing-breach-edge']);
    const fixed = { ...input, edges: [...(input.edges as unknown[]), edge('h', 'x', BREACHED)] };
    expect(expectValid(fixed).edges.map((found) => found.when)).toEqual([APPROVE, BREACHED, REJECT]);
  });

  it('a loopBack inside a valid body keeps the default predicate spelled out', () => {
    const stored = expectValid(
      definition({ nodes: [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a' } } })], edges: [edge('a', 'h')] }),
    );
    expect(stored.loops?.[0]?.onIterationReject?.when).toBe(MANDATORY_REJECT);
  });
});
