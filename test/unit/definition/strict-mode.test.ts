import { describe, expect, it } from 'vitest';
import { APPROVE, agent, codesOf, definition, edge, expectValid, human, messagesOf } from './helpers';

const loopOver = (bodyNodeIds: string[], entryNodeId = bodyNodeIds[0]) => ({
  loopId: 'review-loop',
  entryNodeId,
  bodyNodeIds,
  maxIterations: 3,
});

describe('strict mode: every human node needs a reject path', () => {
  it.each<[string, Record<string, unknown>]>([
    ['onReject Form A', definition({ nodes: [human('h', { onReject: { routeToNodeId: 'x' } }), agent('x')] })],
    [
      'onReject Form B',
      definition({ nodes: [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a' } } })], edges: [edge('a', 'h')] }),
    ],
    [
      'membership in an authored loop body',
      definition({ nodes: [agent('a'), human('h')], edges: [edge('a', 'h')], loops: [loopOver(['a', 'h'])] }),
    ],
    [
      'membership in a synthesized loop body (not the rejecting node)',
      definition({
        nodes: [agent('a'), human('mid'), human('h', { onReject: { loopBack: { toNodeId: 'a' } } })],
        edges: [edge('a', 'mid'), edge('mid', 'h', APPROVE)],
      }),
    ],
    ['no human nodes at all', definition({ nodes: [agent('a')] })],
  ])('accepts %s', (_name, input) => {
    expectValid(input);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['one bare human node', definition({ nodes: [human('h')] }), 'Human nodes missing a reject path: h'],
    [
      'several, listed in node order',
      definition({ nodes: [agent('a'), human('legal'), human('brand')], edges: [edge('a', 'legal'), edge('a', 'brand')] }),
      'Human nodes missing a reject path: legal, brand',
    ],
    [
      'an authored reject-gated edge does not count',
      definition({ nodes: [human('h'), agent('x')], edges: [edge('h', 'x', "output.decision == 'reject'")] }),
      'Human nodes missing a reject path: h',
    ],
    [
      'being the onExhausted route of a loop does not count',
      definition({ nodes: [agent('a'), human('h')], loops: [{ ...loopOver(['a']), onExhausted: { routeToNodeId: 'h' } }] }),
      'Human nodes missing a reject path: h',
    ],
  ])('refuses %s', (_name, input, message) => {
    expect(messagesOf(input)).toEqual([message]);
    expect(codesOf(input)).toEqual(['missing-reject-path']);
  });

  it('lenient mode skips only this rule', () => {
    const bare = definition({ nodes: [human('h')] });
    expectValid(bare, 'lenient');
    expect(codesOf(definition({ nodes: [human('h'), human('h')] }), 'lenient')).toEqual(['duplicate-node-id']);
  });

  it('reports together with the linter, strict mode first', () => {
    const input = definition({ nodes: [human('h'), agent('a'), agent('a')] });
    expect(codesOf(input)).toEqual(['missing-reject-path', 'duplicate-node-id']);
  });
});
