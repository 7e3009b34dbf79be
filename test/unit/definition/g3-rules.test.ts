import { describe, expect, it } from 'vitest';
import {
  AGENT_URL_MESSAGE,
  APPROVE_WHEN,
  MIXED_EDGE_MODEL_MESSAGE,
  REJECT_WHEN,
  g3RejectPathMessage,
  validateDefinition,
} from '../../../src/core/definition';
import { agent, codesOf, definition, edge, expectValid, human, messagesOf } from './helpers';
import { g3Agent, g3Definition, g3Human, groupRef, nodeRef, on, sendBack, signoff } from './g3-helpers';

const refusal = (input: unknown) => {
  const result = validateDefinition(input);
  if (result.ok) expect.fail('expected the definition to be refused');
  return result.error.toBody();
};

/** A draft agent feeding a panel of reviewers grouped as `review`, with extra edges and a policy. */
const panel = (policy: string, edges: unknown[], quorum = 2) =>
  g3Definition({
    nodes: [g3Agent('draft'), g3Human('legal'), g3Human('brand'), g3Agent('publish'), g3Agent('rework')],
    edges: [on('draft', groupRef('review')), ...edges],
    groups: [{ groupId: 'review', memberNodeIds: ['legal', 'brand'], expectedSteps: 2, quorum, onQuorumMet: policy }],
  });

describe('generation: read from the syntax', () => {
  it.each([
    ['an on role', [on('review', 'rework', 'reject')]],
    ['a node endpoint object', [on(nodeRef('review'), 'rework', 'reject')]],
    ['a loop', [on('draft', 'review'), on('review', 'draft', 'reject', { loop: { maxIterations: 2 } })]],
  ])('%s makes a definition g3', (_label, edges) => {
    const nodes = [g3Agent('draft'), g3Human('review'), g3Agent('rework')];
    const stored = expectValid(g3Definition({ nodes, edges: [...edges, on('review', 'rework', 'reject')] }));
    expect(stored.generation).toBe('g3');
  });

  it('plain edges (and none) keep a definition g2, stored without a generation as before', () => {
    const stored = expectValid(definition({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b')] }));
    expect(stored).not.toHaveProperty('generation');
    expect(stored).not.toHaveProperty('authoredEdges');
  });

  it.each([
    ['onReject', { nodes: [human('h', { onReject: { routeToNodeId: 'x' } }), agent('x'), agent('y')], edges: [on('h', 'y', 'approve')] }],
    [
      'loops[]',
      {
        nodes: [agent('a'), human('h'), agent('y')],
        edges: [on('a', 'h'), on('h', 'y', 'reject')],
        loops: [{ loopId: 'l', entryNodeId: 'a', bodyNodeIds: ['a', 'h'], maxIterations: 2 }],
      },
    ],
  ])('the edge model with %s is refused as mixed', (_label, parts) => {
    const body = refusal(definition(parts));
    expect(body.message).toBe(MIXED_EDGE_MODEL_MESSAGE);
    expect(body.status).toBe('INVALID_ARGUMENT');
  });

  it('an empty loops[] or a null one is not a loop: not mixed', () => {
    expect(expectValid(signoff()).generation).toBe('g3');
    expect(expectValid({ ...signoff(), loops: [] }).generation).toBe('g3');
    expect(expectValid({ ...signoff(), loops: null }).generation).toBe('g3');
  });
});

describe('edge roles compile into the canonical gates', () => {
  it('approve, reject, always (the default) and custom; a when without on is custom', () => {
    const score = JSON.stringify({ op: 'gt', args: [{ var: 'output.score' }, 3] });
    const stored = expectValid(
      g3Definition({
        nodes: [g3Agent('a'), g3Human('h'), g3Agent('b'), g3Agent('c'), g3Agent('d'), g3Agent('e')],
        edges: [
          on('a', 'h'),
          on('h', 'b', 'approve'),
          on('h', 'c', 'reject'),
          on('h', 'd', 'always'),
          on('h', 'e', 'custom', { when: 'output.score > 3' }),
          on('a', 'e', undefined, { when: score }),
        ],
      }),
    );
    expect(stored.edges.map(({ from, to, when, role }) => ({ from, to, when, role }))).toEqual([
      { from: 'a', to: 'h', when: null, role: 'always' },
      { from: 'h', to: 'b', when: APPROVE_WHEN, role: 'approve' },
      { from: 'h', to: 'c', when: REJECT_WHEN, role: 'reject' },
      { from: 'h', to: 'd', when: null, role: 'always' },
      { from: 'h', to: 'e', when: score, role: 'custom' },
      { from: 'a', to: 'e', when: score, role: 'custom' },
    ]);
  });

  it('group endpoints expand per member; the successor edges remember the group', () => {
    const stored = expectValid(
      panel('joinOnQuorum', [
        on(groupRef('review'), 'publish', 'approve'),
        on(groupRef('review'), 'draft', 'reject', { loop: { maxIterations: 3 } }),
      ]),
    );
    expect(stored.edges).toEqual([
      { from: 'draft', to: 'legal', when: null, role: 'always', toGroupId: 'review' },
      { from: 'draft', to: 'brand', when: null, role: 'always', toGroupId: 'review' },
      { from: 'legal', to: 'publish', when: APPROVE_WHEN, role: 'approve', fromGroupId: 'review' },
      { from: 'brand', to: 'publish', when: APPROVE_WHEN, role: 'approve', fromGroupId: 'review' },
    ]);
    expect(stored.loops).toEqual([
      {
        loopId: 'reject_group_review__to__draft',
        entryNodeId: 'draft',
        bodyNodeIds: ['draft', 'legal', 'brand'],
        maxIterations: 3,
      },
    ]);
  });

  it('a reject back-edge with loop becomes a loop region; its exhausted sibling the loop\u2019s route', () => {
    const stored = expectValid(sendBack(4));
    expect(stored.loops).toEqual([
      {
        loopId: 'reject_human-boss__to__agent-draft',
        entryNodeId: 'agent-draft',
        bodyNodeIds: ['agent-draft', 'human-boss'],
        maxIterations: 4,
        onExhausted: { routeToNodeId: 'escalate' },
      },
    ]);
    expect(stored.edges.map((found) => `${found.from}->${found.to}`)).toEqual(['agent-draft->human-boss', 'human-boss->agent-publish']);
  });
});

/** Each edge-contract rule: a failing and a passing case, and the code and message it fails with. */
describe('the edge contract', () => {
  const nodes = [g3Agent('draft'), g3Human('review'), g3Agent('publish'), g3Agent('rework')];
  const base = [on('draft', 'review'), on('review', 'rework', 'reject')];
  const withEdges = (...edges: unknown[]) => g3Definition({ nodes, edges: [...base, ...edges] });

  it.each([
    [
      'custom without when',
      withEdges(on('review', 'publish', 'custom')),
      'edge-custom-requires-when',
      'edge-custom-requires-when: data.edges[2] (review -> publish): on="custom" requires a non-empty "when"',
      withEdges(on('review', 'publish', 'custom', { when: 'output.decision == "approve"' })),
    ],
    [
      'custom with an empty when',
      withEdges(on('review', 'publish', 'custom', { when: ' ' })),
      'edge-custom-requires-when',
      undefined,
      withEdges(on('review', 'publish', undefined, { when: 'output.decision == "approve"' })),
    ],
    [
      'when on an approve edge',
      withEdges(on('review', 'publish', 'approve', { when: APPROVE_WHEN })),
      'edge-when-only-for-custom',
      'edge-when-only-for-custom: data.edges[2] (review -> publish).when: "when" is only allowed with on="custom" (this edge is on="approve", which compiles its own predicate)',
      withEdges(on('review', 'publish', 'approve')),
    ],
    [
      'loop on an approve edge',
      withEdges(on('review', 'draft', 'approve', { loop: { maxIterations: 2 } })),
      'edge-loop-requires-reject',
      'edge-loop-requires-reject: data.edges[2] (review -> draft).loop: "loop" is only allowed on an on="reject" edge (this edge is on="approve")',
      withEdges(on('review', 'draft', 'reject', { loop: { maxIterations: 2 } })),
    ],
    [
      'loop on a reject edge to a descendant',
      withEdges(on('draft', 'publish', 'reject', { loop: { maxIterations: 2 } })),
      'edge-loop-requires-back-edge',
      'edge-loop-requires-back-edge: data.edges[2] (draft -> publish).to: a loop-back must point to an ancestor of its source (no forward path leads from "publish" to it)',
      withEdges(on('review', 'draft', 'reject', { loop: { maxIterations: 2 } })),
    ],
    [
      'loop back to itself',
      withEdges(on('review', 'review', 'reject', { loop: { maxIterations: 2 } })),
      'edge-loop-requires-back-edge',
      'edge-loop-requires-back-edge: data.edges[2] (review -> review).to: a loop-back must point to an ancestor of its source (a node is not its own ancestor)',
      withEdges(on('review', 'draft', 'reject', { loop: { maxIterations: 2 } })),
    ],
    [
      'reject to an ancestor without loop',
      withEdges(on('review', 'draft', 'reject')),
      'edge-reject-cycle-requires-loop',
      'edge-reject-cycle-requires-loop: data.edges[2] (review -> draft): an on="reject" edge to an ancestor needs "loop": { "maxIterations": n } to mark it as a loop-back',
      withEdges(on('review', 'draft', 'reject', { loop: { maxIterations: 2 } })),
    ],
    [
      'exhausted without a loop sibling',
      withEdges(on('review', 'publish', 'exhausted')),
      'edge-exhausted-requires-loop-sibling',
      'edge-exhausted-requires-loop-sibling: data.edges[2] (review -> publish): an on="exhausted" edge needs a sibling on="reject" loop-back (with "loop") from the same source',
      withEdges(on('review', 'draft', 'reject', { loop: { maxIterations: 2 } }), on('review', 'publish', 'exhausted')),
    ],
    [
      'two exhausted routes for one loop',
      withEdges(
        on('review', 'draft', 'reject', { loop: { maxIterations: 2 } }),
        on('review', 'publish', 'exhausted'),
        on('review', 'rework', 'exhausted'),
      ),
      'edge-exhausted-duplicate',
      undefined,
      withEdges(on('review', 'draft', 'reject', { loop: { maxIterations: 2 } }), on('review', 'publish', 'exhausted')),
    ],
  ])('%s', (_label, failing, code, message, passing) => {
    expect(codesOf(failing)).toContain(code);
    if (message !== undefined) expect(messagesOf(failing)).toContain(message);
    expect(validateDefinition(passing).ok).toBe(true);
  });

  it('an exhausted route or a loop-back must point at a node, not a group', () => {
    const groups = [{ groupId: 'g', memberNodeIds: ['publish', 'rework'], expectedSteps: 2, quorum: 2 }];
    expect(
      codesOf(g3Definition({ nodes, groups, edges: [...base, on('review', groupRef('g'), 'reject', { loop: { maxIterations: 2 } })] })),
    ).toContain('edge-route-target-must-be-node');
    expect(
      messagesOf(
        g3Definition({
          nodes,
          groups,
          edges: [...base, on('review', 'draft', 'reject', { loop: { maxIterations: 2 } }), on('review', groupRef('g'), 'exhausted')],
        }),
      ),
    ).toContain(
      'edge-route-target-must-be-node: data.edges[3] (review -> group:g).to: an on="exhausted" route must point to a node, not a group',
    );
  });

  it('group to group is refused; group to node and node to group are fine', () => {
    const groups = [
      { groupId: 'g1', memberNodeIds: ['legal'], expectedSteps: 1, quorum: 1 },
      { groupId: 'g2', memberNodeIds: ['publish'], expectedSteps: 1, quorum: 1 },
    ];
    const make = (...edges: unknown[]) =>
      g3Definition({
        nodes: [g3Agent('draft'), g3Human('legal'), g3Agent('publish'), g3Agent('rework')],
        groups,
        edges: [on('legal', 'rework', 'reject'), ...edges],
      });
    expect(messagesOf(make(on('draft', groupRef('g1')), on(groupRef('g1'), groupRef('g2'), 'approve')))).toEqual([
      'edge-group-to-group-forbidden: data.edges[2] (group:g1 -> group:g2): an edge cannot join two groups; point it at a node, or at a group from a node',
    ]);
    expect(validateDefinition(make(on('draft', groupRef('g1')), on(groupRef('g1'), 'publish', 'approve'))).ok).toBe(true);
  });

  it.each(['joinOnQuorum', 'cancelOnQuorum'])(
    'a forward reject from a %s group is a dead edge; from a waitAll group it is the collective reject',
    (policy) => {
      const reject = on(groupRef('review'), 'rework', 'reject');
      expect(messagesOf(panel(policy, [on(groupRef('review'), 'publish', 'approve'), reject], 1))).toEqual([
        `group-from-reject-requires-loop: data.edges[2] (group:review -> rework): a forward on="reject" edge from ${policy} group "review" would never fire (the group only branches on approval quorum); make it a loop-back with "loop", or use a waitAll group`,
      ]);
      expect(validateDefinition(panel('waitAll', [on(groupRef('review'), 'publish', 'approve'), reject])).ok).toBe(true);
    },
  );

  it('a group reject back-edge needs joinOnQuorum', () => {
    const back = on(groupRef('review'), 'draft', 'reject', { loop: { maxIterations: 3 } });
    expect(messagesOf(panel('waitAll', [on(groupRef('review'), 'publish', 'approve'), back]))).toEqual([
      'group-from-loop-requires-joinonquorum: data.edges[2] (group:review -> draft): a reject loop-back from a group needs onQuorumMet "joinOnQuorum" (group "review" is waitAll)',
    ]);
    expect(validateDefinition(panel('joinOnQuorum', [on(groupRef('review'), 'publish', 'approve'), back])).ok).toBe(true);
  });

  it('an unknown group or node endpoint is a dangling edge', () => {
    expect(messagesOf(g3Definition({ edges: [on('review', 'rework', 'reject'), on(groupRef('ghosts'), 'rework', 'approve')] }))).toEqual([
      'dangling-edge: edges[1] group:ghosts -> rework: "ghosts" is not a declared group',
    ]);
    expect(refusal(g3Definition({ edges: [on('review', 'rework', 'reject'), on('review', 'ghost', 'approve')] })).message).toBe(
      'Definition linter failed: [{"code":"dangling-edge","message":"dangling-edge: edges[1] review -> ghost: \\"ghost\\" is not a declared node"}]',
    );
  });

  it('one reject back-edge per parallel reviewer derives overlapping loops (loop-node-in-multiple-loops)', () => {
    const reviewers = ['legal', 'brand', 'finance'];
    const input = g3Definition({
      nodes: [g3Agent('agent-draft'), ...reviewers.map((id) => g3Human(id)), g3Agent('publish')],
      edges: [
        ...reviewers.map((id) => on('agent-draft', id)),
        ...reviewers.map((id) => on(id, 'publish', 'approve')),
        ...reviewers.map((id) => on(id, 'agent-draft', 'reject', { loop: { maxIterations: 3 } })),
      ],
    });
    expect(codesOf(input)).toContain('loop-node-in-multiple-loops');
    expect(refusal(input).message.startsWith('Definition linter failed: [{"code":')).toBe(true);
  });
});

describe('the G3 reject-path rule', () => {
  it('names each human node without a reject route, in G3 words', () => {
    const input = g3Definition({
      nodes: [g3Human('a'), g3Human('b'), g3Agent('x')],
      edges: [on('a', 'b', 'approve'), on('b', 'x', 'approve')],
    });
    expect(messagesOf(input)).toEqual([g3RejectPathMessage('a'), g3RejectPathMessage('b')]);
    expect(g3RejectPathMessage('a')).toBe(
      'every human node must have at least one outgoing edge with on="reject" (a forward reject route or a reject back-edge): a',
    );
    expect(refusal(input).message).toBe(g3RejectPathMessage('a'));
  });

  it.each([
    ['its own forward reject edge', signoff()],
    ['its own reject back-edge', sendBack()],
    [
      'a reject edge from its group',
      panel('waitAll', [on(groupRef('review'), 'publish', 'approve'), on(groupRef('review'), 'rework', 'reject')]),
    ],
    [
      'a place in a loop body',
      g3Definition({
        nodes: [g3Agent('draft'), g3Human('first'), g3Human('final')],
        edges: [on('draft', 'first'), on('first', 'final', 'approve'), on('final', 'draft', 'reject', { loop: { maxIterations: 2 } })],
      }),
    ],
  ])('is met by %s', (_label, input) => {
    expect(validateDefinition(input).ok).toBe(true);
  });

  it('lenient mode skips it, as for G2', () => {
    expect(validateDefinition(g3Definition({ nodes: [g3Human('a'), g3Agent('x')], edges: [on('a', 'x', 'approve')] }), 'lenient').ok).toBe(
      true,
    );
  });

  it('G2 keeps its own rule and wording', () => {
    expect(messagesOf(definition({ nodes: [human('h'), agent('x')], edges: [edge('h', 'x')] }))).toEqual([
      'Human nodes missing a reject path: h',
    ]);
  });
});

describe('agent url or urlPath (G3)', () => {
  it('refuses an agent with neither, with the documented text', () => {
    const input = g3Definition({ nodes: [g3Human('review'), { nodeId: 'rework', type: 'agent', config: { agentId: '__mock__' } }] });
    expect(messagesOf(input)).toEqual([`data.nodes[1].config: ${AGENT_URL_MESSAGE}`]);
    expect(AGENT_URL_MESSAGE).toBe('agent node requires either a static "url" or a "urlPath"');
    expect(codesOf(input)).toEqual(['agent-url-required']);
  });

  it.each([
    ['a url', { url: 'https://acme.example/docs/1' }],
    ['a urlPath', { urlPath: 'documentUrl' }],
    ['both', { url: 'https://acme.example/docs/1', urlPath: 'documentUrl' }],
  ])('accepts %s', (_label, config) => {
    expect(
      validateDefinition(
        g3Definition({ nodes: [g3Human('review'), { nodeId: 'rework', type: 'agent', config: { agentId: 'a1', ...config } }] }),
      ).ok,
    ).toBe(true);
  });

  it('does not apply to G2 definitions', () => {
    expect(validateDefinition(definition()).ok).toBe(true);
  });
});

describe('missing-breach-edge in the edge model', () => {
  const sla = { slaMs: 60_000 };
  it.each([
    ['only a forward reject edge', [on('review', 'rework', 'reject')], false],
    ['a reject edge and an always edge', [on('review', 'rework', 'reject'), on('review', 'publish', 'always')], true],
    [
      'a reject edge and a custom edge testing breached',
      [on('review', 'rework', 'reject'), on('review', 'publish', 'custom', { when: 'step.status == "breached"' })],
      true,
    ],
    ['only a reject back-edge', [on('draft', 'review'), on('review', 'draft', 'reject', { loop: { maxIterations: 2 } })], false],
  ])('%s', (_label, edges, accepted) => {
    const input = g3Definition({
      nodes: [g3Agent('draft'), g3Human('review', sla), g3Agent('publish'), g3Agent('rework')],
      edges: [on('draft', 'publish'), ...edges],
    });
    if (accepted) {
      expect(validateDefinition(input).ok).toBe(true);
    } else {
      expect(codesOf(input)).toEqual(['missing-breach-edge']);
      expect(refusal(input).message).toMatch(
        /^Definition linter failed: \[\{"code":"missing-breach-edge","message":"missing-breach-edge: \\"review\\" has slaMs/,
      );
    }
  });

  it('a node with no outgoing edge at all stays exempt', () => {
    expect(validateDefinition(g3Definition({ nodes: [g3Human('review'), g3Agent('rework', {}, sla)] })).ok).toBe(true);
  });
});

describe('the linter message per generation', () => {
  it('G3: "Definition linter failed: " and the JSON array of { code, message }; details keep the violations', () => {
    const body = refusal(
      g3Definition({
        nodes: [g3Human('review'), g3Agent('rework'), g3Agent('island', { url: 'https://x.example' })],
        edges: [on('review', 'rework', 'reject'), on('island', 'island')],
      }),
    );
    const list = [
      { code: 'cycle-detected', message: 'cycle-detected: island -> island' },
      {
        code: 'unreachable-node',
        message: 'unreachable-node: "island" cannot be reached from any root node (a node with no incoming edges)',
      },
    ];
    expect(body.message).toBe(`Definition linter failed: ${JSON.stringify(list)}`);
    expect(body.details).toEqual({ violations: list });
  });

  it('G2: the first violation, as before', () => {
    expect(refusal(definition({ nodes: [agent('r'), agent('a')], edges: [edge('r', 'a'), edge('a', 'a')] })).message).toBe(
      'cycle-detected: a -> a',
    );
  });
});

describe('details.issues on schema failures', () => {
  it('carries zod\u2019s { code, path, message } next to the violations', () => {
    const body = refusal(g3Definition({ edges: [on('review', 'rework', 'sometimes')] }));
    expect(body.message).toMatch(/^data\.edges\[0\]\.on: /);
    expect(body.details?.issues).toEqual([{ code: 'invalid_value', path: ['edges', 0, 'on'], message: expect.any(String) }]);
    expect(body.details?.violations).toEqual([{ code: 'invalid-field', message: body.message }]);
  });

  it('an input `compiled` stays refused', () => {
    expect(refusal({ ...signoff(), compiled: { forwardEdges: [], loops: [] } }).message).toBe(
      'data.compiled: Unrecognized key: "compiled"',
    );
  });
});

describe('node labels and the new agent fields', () => {
  it('accepts name, description and node-level requireNonEmptyOutput on every node type, in both generations', () => {
    const labels = { name: 'Manager approval', description: 'Signs off the document.', requireNonEmptyOutput: true };
    for (const input of [
      g3Definition({ nodes: [g3Human('review', labels), g3Agent('rework', {}, labels)] }),
      definition({
        nodes: [agent('start', {}, labels), { nodeId: 'w', type: 'webhook', config: { url: 'https://hooks.example.com/w' }, ...labels }],
        edges: [edge('start', 'w')],
      }),
    ]) {
      const stored = expectValid(input);
      expect(
        stored.nodes.every((node) => node.name === labels.name && node.description === labels.description && node.requireNonEmptyOutput),
      ).toBe(true);
    }
  });

  it.each([
    ['an empty name', { name: '' }, /^data\.nodes\[0\]\.name: Too small/],
    ['a 201-char name', { name: 'n'.repeat(201) }, /^data\.nodes\[0\]\.name: Too big/],
    ['a 2001-char description', { description: 'd'.repeat(2001) }, /^data\.nodes\[0\]\.description: Too big/],
    ['a non-boolean requireNonEmptyOutput', { requireNonEmptyOutput: 'yes' }, /^data\.nodes\[0\]\.requireNonEmptyOutput: /],
  ])('refuses %s', (_label, extra, message) => {
    expect(messagesOf(g3Definition({ nodes: [g3Human('review', extra), g3Agent('rework')] }))[0]).toMatch(message);
  });

  it('accepts the agent fields at their bounds', () => {
    const config = {
      url: `https://a.example/${'p'.repeat(1982)}`,
      crossPageExecute: true,
      maxUrlsToProcess: 500,
      userContextMapping: { customerId: 'customer.id', plan: 'account.plan' },
      pollIntervalMs: 60_000,
    };
    expect(config.url.length).toBe(2000);
    const stored = expectValid(g3Definition({ nodes: [g3Human('review'), g3Agent('rework', config)] }));
    expect(stored.nodes[1]?.config).toMatchObject(config);
    expect(validateDefinition(g3Definition({ nodes: [g3Human('review'), g3Agent('rework', { pollIntervalMs: 5000 })] })).ok).toBe(true);
  });

  it.each([
    ['url over 2000 chars', { url: `https://a.example/${'p'.repeat(1983)}` }, /^data\.nodes\[1\]\.config\.url: Too big/],
    ['maxUrlsToProcess 501', { maxUrlsToProcess: 501 }, /^data\.nodes\[1\]\.config\.maxUrlsToProcess: Too big/],
    ['maxUrlsToProcess 0', { maxUrlsToProcess: 0 }, /^data\.nodes\[1\]\.config\.maxUrlsToProcess: Too small/],
    ['pollIntervalMs 4999', { pollIntervalMs: 4999 }, /^data\.nodes\[1\]\.config\.pollIntervalMs: Too small/],
    ['pollIntervalMs 60001', { pollIntervalMs: 60_001 }, /^data\.nodes\[1\]\.config\.pollIntervalMs: Too big/],
    ['a non-string userContextMapping path', { userContextMapping: { a: 3 } }, /^data\.nodes\[1\]\.config\.userContextMapping\.a: /],
    ['crossPageExecute not a boolean', { crossPageExecute: 'yes' }, /^data\.nodes\[1\]\.config\.crossPageExecute: /],
  ])('refuses %s', (_label, config, message) => {
    expect(messagesOf(g3Definition({ nodes: [g3Human('review'), g3Agent('rework', config)] }))[0]).toMatch(message);
  });
});
