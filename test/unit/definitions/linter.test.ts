import { describe, expect, it } from 'vitest';
import { validateDefinition } from '../../../src/core/definitions';
import { agent, APPROVE, BREACHED, definition, edge, human } from './builders';

const codesOf = (input: unknown): string[] => {
  const result = validateDefinition(input);
  if (result.ok) return [];
  const violations = (result.error.details?.violations ?? []) as Array<{ code?: string; message: string }>;
  return violations.map((found) => found.code ?? found.message);
};

const group = (parts: Record<string, unknown>) => ({
  groupId: 'g',
  memberNodeIds: ['r1', 'r2'],
  expectedSteps: 2,
  quorum: 1,
  ...parts,
});
/** Two reviewers in a loop with the draft, so strict mode is satisfied and groups can be varied. */
const reviewPair = (groups: unknown[], extraEdges: unknown[] = [], extraNodes: unknown[] = []) =>
  definition({
    nodes: [agent('draft'), human('r1'), human('r2'), agent('publish'), ...extraNodes],
    edges: [edge('draft', 'r1'), edge('draft', 'r2'), edge('r1', 'publish'), edge('r2', 'publish'), ...extraEdges],
    groups,
    loops: [{ loopId: 'review', entryNodeId: 'draft', bodyNodeIds: ['draft', 'r1', 'r2'], maxIterations: 3 }],
  });

const valid = reviewPair([group({ onQuorumMet: 'joinOnQuorum', quorum: 2 })]);

/** code → [a definition that trips it, a close variant that passes]. */
const cases: Array<[string, unknown, unknown]> = [
  ['duplicate-node-id', definition({ nodes: [agent('a'), agent('a')] }), definition({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b')] })],
  ['dangling-edge', definition({ nodes: [agent('a')], edges: [edge('a', 'ghost')] }), definition({ nodes: [agent('a')] })],
  [
    'cycle-detected',
    definition({ nodes: [agent('s'), agent('a'), agent('b')], edges: [edge('s', 'a'), edge('a', 'b'), edge('b', 'a')] }),
    definition({ nodes: [agent('s'), agent('a'), agent('b')], edges: [edge('s', 'a'), edge('a', 'b')] }),
  ],
  [
    'unreachable-node',
    // In an acyclic graph every node traces back to a root, so unreachable nodes sit on a cycle no root feeds.
    definition({ nodes: [agent('s'), agent('a'), agent('b')], edges: [edge('a', 'b'), edge('b', 'a')] }),
    definition({ nodes: [agent('s'), agent('a'), agent('b')], edges: [edge('s', 'a'), edge('s', 'b')] }),
  ],
  ['node-missing-config', definition({ nodes: [{ nodeId: 'a', type: 'agent' }] }), definition({ nodes: [agent('a')] })],
  [
    'missing-breach-edge',
    definition({ nodes: [agent('a', { slaMs: 1000 }), agent('b')], edges: [edge('a', 'b', APPROVE)] }),
    definition({ nodes: [agent('a', { slaMs: 1000 }), agent('b')], edges: [edge('a', 'b', BREACHED)] }),
  ],
  ['group-duplicate-id', reviewPair([group({}), group({ memberNodeIds: ['publish'], expectedSteps: 1 })]), reviewPair([group({})])],
  ['group-members-empty', reviewPair([group({ memberNodeIds: [] })]), reviewPair([group({})])],
  ['group-member-missing', reviewPair([group({ memberNodeIds: ['r1', 'ghost'] })]), reviewPair([group({})])],
  ['group-expected-steps-invalid', reviewPair([group({ expectedSteps: 0, quorum: 0 })]), reviewPair([group({})])],
  ['group-quorum-invalid', reviewPair([group({ quorum: 3 })]), reviewPair([group({ quorum: 2 })])],
  [
    'group-cancelonquorum-requires-quorum-lt-expected',
    reviewPair([group({ onQuorumMet: 'cancelOnQuorum', quorum: 2 })]),
    reviewPair([group({ onQuorumMet: 'cancelOnQuorum', quorum: 1 })]),
  ],
  [
    'group-joinonquorum-members-must-share-successors',
    reviewPair([group({ onQuorumMet: 'joinOnQuorum', quorum: 2 })], [edge('r1', 'extra')], [agent('extra')]),
    valid,
  ],
  ['group-required-not-in-members', reviewPair([group({ requiredNodeIds: ['publish'] })]), reviewPair([group({ requiredNodeIds: ['r1'] })])],
  ['group-required-exceeds-quorum', reviewPair([group({ requiredNodeIds: ['r1', 'r2'], quorum: 1 })]), reviewPair([group({ requiredNodeIds: ['r1'] })])],
  [
    'group-node-in-multiple-groups',
    reviewPair([group({ memberNodeIds: ['r1'], expectedSteps: 1 }), group({ groupId: 'h', memberNodeIds: ['r1', 'r2'] })]),
    reviewPair([group({ memberNodeIds: ['r1'], expectedSteps: 1 }), group({ groupId: 'h', memberNodeIds: ['r2'], expectedSteps: 1 })]),
  ],
];

const loopDef = (loops: unknown[], extra: Record<string, unknown> = {}) =>
  definition({
    nodes: [agent('draft'), human('review'), agent('publish'), agent('escalate')],
    edges: [edge('draft', 'review'), edge('review', 'publish', APPROVE)],
    loops,
    ...extra,
  });
const loop = (parts: Record<string, unknown>) => ({ loopId: 'l', entryNodeId: 'draft', bodyNodeIds: ['draft', 'review'], maxIterations: 3, ...parts });

cases.push(
  ['loop-duplicate-id', loopDef([loop({}), loop({ entryNodeId: 'publish', bodyNodeIds: ['publish'] })]), loopDef([loop({})])],
  ['loop-entry-must-be-in-body', loopDef([loop({ entryNodeId: 'publish' })]), loopDef([loop({})])],
  ['loop-body-member-missing', loopDef([loop({ bodyNodeIds: ['draft', 'review', 'ghost'] })]), loopDef([loop({})])],
  [
    'loop-body-unreachable-from-entry',
    loopDef([loop({ entryNodeId: 'review' })]),
    loopDef([loop({ entryNodeId: 'draft' })]),
  ],
  [
    'loop-body-must-have-single-terminal',
    loopDef([loop({})], { edges: [edge('draft', 'review'), edge('draft', 'escalate'), edge('review', 'publish', APPROVE)] }),
    loopDef([loop({})]),
  ],
  [
    'loop-node-in-multiple-loops',
    loopDef([loop({}), loop({ loopId: 'm', entryNodeId: 'review', bodyNodeIds: ['review'] })]),
    loopDef([loop({})]),
  ],
  [
    'loop-on-exhausted-route-to-not-found',
    loopDef([loop({ onExhausted: { routeToNodeId: 'ghost' } })]),
    loopDef([loop({ onExhausted: { routeToNodeId: 'escalate' } })]),
  ],
  [
    'loop-on-exhausted-route-to-in-body',
    loopDef([loop({ onExhausted: { routeToNodeId: 'draft' } })]),
    loopDef([loop({ onExhausted: { routeToNodeId: 'escalate' } })]),
  ],
  [
    'loop-group-bounded-quorum-must-equal-expected',
    reviewPair([group({ onQuorumMet: 'joinOnQuorum', quorum: 1 })]),
    valid,
  ],
);

describe('linter', () => {
  it.each(cases)('%s fires on a violating definition', (code, failing) => {
    expect(codesOf(failing)).toContain(code);
  });

  it.each(cases)('%s stays quiet on the corrected definition', (code, _failing, passing) => {
    expect(codesOf(passing)).not.toContain(code);
  });

  it('covers every code of spec §3', () => {
    expect(new Set(cases.map(([code]) => code)).size).toBe(25);
  });

  it('reports every violation with the code first and the first one as the message', () => {
    const result = validateDefinition(
      definition({ nodes: [agent('s'), agent('a'), agent('b')], edges: [edge('s', 'a'), edge('a', 'b'), edge('b', 'a'), edge('a', 'x')] }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.status).toBe('INVALID_ARGUMENT');
    const violations = result.error.details?.violations as Array<{ code: string; message: string }>;
    expect(violations.map((found) => found.code)).toEqual(expect.arrayContaining(['dangling-edge', 'cycle-detected']));
    for (const found of violations) expect(found.message.startsWith(`${found.code}: `)).toBe(true);
    expect(result.error.message).toBe(violations[0]?.message);
    expect(violations.find((found) => found.code === 'cycle-detected')?.message).toBe('cycle-detected: a -> b -> a');
  });

  it('accepts an unconditional edge as a breach route and exempts nodes without outgoing edges', () => {
    expect(codesOf(definition({ nodes: [agent('a', { slaMs: 5 }), agent('b')], edges: [edge('a', 'b')] }))).toEqual([]);
    expect(codesOf(definition({ nodes: [agent('a', { slaMs: 5 })] }))).toEqual([]);
  });

  it('does not count an onExhausted-only node as a root or as unreachable', () => {
    expect(codesOf(loopDef([loop({ onExhausted: { routeToNodeId: 'escalate' } })]))).toEqual([]);
  });
});
