import { describe, expect, it } from 'vitest';
import { LINT_CODES } from '../../../src/core/definition';
import { APPROVE, BREACHED, e, group, lint, lintNode, loop, type LintCase } from './helpers';

const FAILED = JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'failed'] });
const breachOrApprove = JSON.stringify({
  op: 'or',
  args: [
    { op: 'eq', args: [{ var: 'output.decision' }, 'approve'] },
    { op: 'eq', args: ['breached', { var: 'step.status' }] },
  ],
});

/** A joinOnQuorum group bounding a loop body: d -> h1, d -> h2, both -> publish. */
const groupBounded = (quorum: number): LintCase => ({
  nodes: ['d', 'h1', 'h2', 'publish'],
  edges: [e('d', 'h1'), e('d', 'h2'), e('h1', 'publish'), e('h2', 'publish')],
  groups: [group('review', ['h1', 'h2'], { onQuorumMet: 'joinOnQuorum', quorum })],
  loops: [loop('rework', 'd', ['d', 'h1', 'h2'])],
});

// Each code: [code, a case that violates it, a clean case next to it].
const cases: [string, LintCase, LintCase][] = [
  ['duplicate-node-id', { nodes: ['a', 'a'] }, { nodes: ['a', 'b'], edges: [e('a', 'b')] }],
  ['dangling-edge', { nodes: ['a'], edges: [e('a', 'ghost')] }, { nodes: ['a', 'b'], edges: [e('a', 'b')] }],
  [
    'cycle-detected',
    { nodes: ['r', 'a', 'b', 'c'], edges: [e('r', 'a'), e('a', 'b'), e('b', 'c'), e('c', 'a')] },
    { nodes: ['r', 'a', 'b', 'c'], edges: [e('r', 'a'), e('r', 'b'), e('a', 'c'), e('b', 'c')] },
  ],
  [
    'unreachable-node',
    { nodes: ['r', 'a', 'b', 'c'], edges: [e('a', 'b'), e('b', 'a'), e('b', 'c')] },
    {
      nodes: ['r', 'a', 'h', 'exhausted', 'after'],
      edges: [e('r', 'a'), e('a', 'h'), e('exhausted', 'after')],
      loops: [loop('l', 'a', ['a', 'h'], { onExhausted: { routeToNodeId: 'exhausted' } })],
    },
  ],
  ['node-missing-config', { nodes: [{ nodeId: 'a', type: 'agent' }] }, { nodes: ['a'] }],
  [
    'missing-breach-edge',
    { nodes: [lintNode('a', { slaMs: 1000 }), 'b'], edges: [e('a', 'b', APPROVE)] },
    { nodes: [lintNode('a', { slaMs: 1000 }), 'b', 'c'], edges: [e('a', 'b', APPROVE), e('a', 'c', BREACHED)] },
  ],
  [
    'group-duplicate-id',
    { nodes: ['a', 'b'], groups: [group('g', ['a']), group('g', ['b'])] },
    { nodes: ['a', 'b'], groups: [group('g1', ['a']), group('g2', ['b'])] },
  ],
  [
    'group-members-empty',
    { nodes: ['a'], groups: [group('g', [], { expectedSteps: 1, quorum: 1 })] },
    { nodes: ['a'], groups: [group('g', ['a'])] },
  ],
  ['group-member-missing', { nodes: ['a'], groups: [group('g', ['a', 'ghost'])] }, { nodes: ['a', 'b'], groups: [group('g', ['a', 'b'])] }],
  [
    'group-expected-steps-invalid',
    { nodes: ['a'], groups: [group('g', ['a'], { expectedSteps: 0, quorum: 0 })] },
    { nodes: ['a'], groups: [group('g', ['a'], { expectedSteps: 1, quorum: 1 })] },
  ],
  [
    'group-quorum-invalid',
    { nodes: ['a', 'b'], groups: [group('g', ['a', 'b'], { expectedSteps: 2, quorum: 3 })] },
    { nodes: ['a', 'b'], groups: [group('g', ['a', 'b'], { expectedSteps: 2, quorum: 2 })] },
  ],
  [
    'group-cancelonquorum-requires-quorum-lt-expected',
    { nodes: ['a', 'b'], groups: [group('g', ['a', 'b'], { onQuorumMet: 'cancelOnQuorum', quorum: 2 })] },
    { nodes: ['a', 'b'], groups: [group('g', ['a', 'b'], { onQuorumMet: 'cancelOnQuorum', quorum: 1 })] },
  ],
  [
    'group-joinonquorum-members-must-share-successors',
    { nodes: ['a', 'b', 'x', 'y'], edges: [e('a', 'x'), e('b', 'y')], groups: [group('g', ['a', 'b'], { onQuorumMet: 'joinOnQuorum' })] },
    {
      nodes: ['a', 'b', 'x'],
      edges: [e('a', 'x'), e('b', 'x', APPROVE)],
      groups: [group('g', ['a', 'b'], { onQuorumMet: 'joinOnQuorum' })],
    },
  ],
  [
    'group-required-not-in-members',
    { nodes: ['a', 'b', 'c'], groups: [group('g', ['a', 'b'], { requiredNodeIds: ['c'] })] },
    { nodes: ['a', 'b', 'c'], groups: [group('g', ['a', 'b'], { requiredNodeIds: ['b'] })] },
  ],
  [
    'group-required-exceeds-quorum',
    { nodes: ['a', 'b'], groups: [group('g', ['a', 'b'], { quorum: 1, requiredNodeIds: ['a', 'b'] })] },
    { nodes: ['a', 'b'], groups: [group('g', ['a', 'b'], { quorum: 2, requiredNodeIds: ['a', 'b'] })] },
  ],
  [
    'group-node-in-multiple-groups',
    { nodes: ['a', 'b'], groups: [group('g1', ['a']), group('g2', ['a', 'b'])] },
    { nodes: ['a', 'b'], groups: [group('g1', ['a']), group('g2', ['b'])] },
  ],
  [
    'loop-duplicate-id',
    { nodes: ['a', 'b'], loops: [loop('l', 'a', ['a']), loop('l', 'b', ['b'])] },
    { nodes: ['a', 'b'], loops: [loop('l1', 'a', ['a']), loop('l2', 'b', ['b'])] },
  ],
  [
    'loop-entry-must-be-in-body',
    { nodes: ['a', 'b'], edges: [e('a', 'b')], loops: [loop('l', 'a', ['b'])] },
    { nodes: ['a', 'b'], edges: [e('a', 'b')], loops: [loop('l', 'b', ['b'])] },
  ],
  ['loop-body-member-missing', { nodes: ['a'], loops: [loop('l', 'a', ['a', 'ghost'])] }, { nodes: ['a'], loops: [loop('l', 'a', ['a'])] }],
  [
    'loop-body-unreachable-from-entry',
    { nodes: ['r', 'a', 'b'], edges: [e('r', 'a'), e('r', 'b')], loops: [loop('l', 'a', ['a', 'b'])] },
    { nodes: ['r', 'a', 'b'], edges: [e('r', 'a'), e('a', 'b')], loops: [loop('l', 'a', ['a', 'b'])] },
  ],
  [
    'loop-body-must-have-single-terminal',
    { nodes: ['a', 'b', 'x', 'y'], edges: [e('a', 'b'), e('a', 'x'), e('b', 'y')], loops: [loop('l', 'a', ['a', 'b'])] },
    { nodes: ['a', 'b', 'x', 'y'], edges: [e('a', 'b'), e('b', 'x'), e('b', 'y')], loops: [loop('l', 'a', ['a', 'b'])] },
  ],
  [
    'loop-node-in-multiple-loops',
    { nodes: ['a', 'b'], edges: [e('a', 'b')], loops: [loop('l1', 'a', ['a', 'b']), loop('l2', 'b', ['b'])] },
    { nodes: ['a', 'b'], edges: [e('a', 'b')], loops: [loop('l1', 'a', ['a']), loop('l2', 'b', ['b'])] },
  ],
  [
    'loop-on-exhausted-route-to-not-found',
    { nodes: ['a'], loops: [loop('l', 'a', ['a'], { onExhausted: { routeToNodeId: 'ghost' } })] },
    { nodes: ['a', 'b'], loops: [loop('l', 'a', ['a'], { onExhausted: { routeToNodeId: 'b' } })] },
  ],
  [
    'loop-on-exhausted-route-to-in-body',
    { nodes: ['a', 'b'], edges: [e('a', 'b')], loops: [loop('l', 'a', ['a', 'b'], { onExhausted: { routeToNodeId: 'b' } })] },
    { nodes: ['a', 'b', 'c'], edges: [e('a', 'b')], loops: [loop('l', 'a', ['a', 'b'], { onExhausted: { routeToNodeId: 'c' } })] },
  ],
  ['loop-group-bounded-quorum-must-equal-expected', groupBounded(1), groupBounded(2)],
];

describe('linter: every code of docs/api.md', () => {
  it('covers every documented code', () => {
    expect(cases.map(([code]) => code).sort()).toEqual([...LINT_CODES].sort());
  });

  it.each(cases)('%s fires on the violating case, message starting with the code', (code, failing) => {
    const found = lint(failing).filter((violation) => violation.code === code);
    expect(found.length).toBeGreaterThan(0);
    for (const violation of found) expect(violation.message.startsWith(`${code}: `)).toBe(true);
  });

  it.each(cases)('%s: the neighbouring case is clean', (_code, _failing, passing) => {
    expect(lint(passing)).toEqual([]);
  });
});

describe('linter: messages', () => {
  it.each<[string, LintCase, string[]]>([
    ['duplicate node', { nodes: ['a', 'a', 'a'] }, ['duplicate-node-id: "a" is declared 3 times']],
    ['dangling edge', { nodes: ['a'], edges: [e('a', 'x')] }, ['dangling-edge: edges[0] a -> x: "x" is not a declared node']],
    [
      'dangling both ends',
      { nodes: ['a'], edges: [e('a', 'a'), e('x', 'y')] },
      [
        'dangling-edge: edges[1] x -> y: "x" and "y" are not declared nodes',
        'cycle-detected: a -> a',
        'unreachable-node: "a" cannot be reached from any root node (a node with no incoming edges)',
      ],
    ],
    [
      'missing config',
      { nodes: ['a', { nodeId: 'b', type: 'human', config: null }], edges: [e('a', 'b')] },
      ['node-missing-config: nodes[1] "b" has no config'],
    ],
    [
      'quorum',
      { nodes: ['a'], groups: [group('g', ['a'], { quorum: 2 })] },
      ['group-quorum-invalid: group "g": quorum must be between 1 and expectedSteps (1), got 2'],
    ],
    [
      'group-bounded quorum',
      groupBounded(1),
      ['loop-group-bounded-quorum-must-equal-expected: loop "rework": bounding group "review" has quorum 1 < expectedSteps 2'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(lint(input).map((violation) => violation.message)).toEqual(expected);
  });

  it('reports one cycle per cyclic component, as a path', () => {
    const found = lint({
      nodes: ['r', 'a', 'b', 'c', 'x', 'y'],
      edges: [e('r', 'a'), e('a', 'b'), e('b', 'c'), e('c', 'a'), e('b', 'a'), e('r', 'x'), e('x', 'y'), e('y', 'x')],
    });
    expect(found.map((violation) => violation.message)).toEqual(['cycle-detected: a -> b -> a', 'cycle-detected: x -> y -> x']);
  });

  it('collects every violation instead of stopping at the first', () => {
    const found = lint({
      nodes: ['a', 'a', lintNode('s', { slaMs: 5 }), 'x'],
      edges: [e('a', 'ghost'), e('s', 'x', APPROVE)],
      groups: [group('g', [], { expectedSteps: 0, quorum: 0 })],
      loops: [loop('l', 'zz', ['s'])],
    });
    expect(found.map((violation) => violation.code)).toEqual([
      'duplicate-node-id',
      'dangling-edge',
      'missing-breach-edge',
      'group-members-empty',
      'group-expected-steps-invalid',
      'group-quorum-invalid',
      'loop-entry-must-be-in-body',
    ]);
  });
});

describe('linter: missing-breach-edge', () => {
  it.each<[string, LintCase['edges'], boolean]>([
    ['explicit breached route', [e('a', 'b', BREACHED)], true],
    ['breach test nested in an or, arguments swapped', [e('a', 'b', breachOrApprove)], true],
    ['unconditional edge', [e('a', 'b')], true],
    ['no outgoing edge at all (exempt)', [], true],
    ['only an approve gate', [e('a', 'b', APPROVE)], false],
    ['a test on another status', [e('a', 'b', FAILED)], false],
  ])('%s', (_name, edges, clean) => {
    const found = lint({ nodes: [lintNode('a', { slaMs: 60_000 }), 'b'], edges }).filter((v) => v.code === 'missing-breach-edge');
    expect(found.length === 0).toBe(clean);
  });
});

describe('linter: unreachable-node and loop exhausted routes', () => {
  it('an exhausted-only route of an unreachable loop is not itself reported', () => {
    const found = lint({
      nodes: ['r', 'a', 'b', 'exhausted'],
      edges: [e('a', 'b'), e('b', 'a')],
      loops: [loop('l', 'a', ['a'], { onExhausted: { routeToNodeId: 'exhausted' } })],
    });
    const unreachable = found.filter((v) => v.code === 'unreachable-node').map((v) => v.message);
    expect(unreachable.some((message) => message.includes('"exhausted"'))).toBe(false);
    expect(unreachable.some((message) => message.includes('"a"'))).toBe(true);
  });
});

describe('linter: loop shapes', () => {
  it('a body with no outward edge ends at its single sink', () => {
    expect(lint({ nodes: ['r', 'a', 'b'], edges: [e('r', 'a'), e('a', 'b')], loops: [loop('l', 'a', ['a', 'b'])] })).toEqual([]);
  });

  it('two sinks and no bounding group is not a single terminal', () => {
    const found = lint({ nodes: ['a', 'b', 'c'], edges: [e('a', 'b'), e('a', 'c')], loops: [loop('l', 'a', ['a', 'b', 'c'])] });
    expect(found.map((v) => v.message)).toEqual([
      'loop-body-must-have-single-terminal: loop "l": the body has 2 exit nodes (b, c); it needs one iteration-terminal node, or exits that are exactly the members of one joinOnQuorum group',
    ]);
  });

  it('a waitAll group does not bound a body', () => {
    const input = groupBounded(2);
    const groups = [group('review', ['h1', 'h2'], { onQuorumMet: 'waitAll' })];
    expect(lint({ ...input, groups }).map((v) => v.code)).toEqual(['loop-body-must-have-single-terminal']);
  });

  it('expectedSteps may differ from the member count', () => {
    expect(lint({ nodes: ['a', 'b'], groups: [group('g', ['a', 'b'], { expectedSteps: 3, quorum: 2 })] })).toEqual([]);
  });
});
