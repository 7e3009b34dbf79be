import { describe, expect, it } from 'vitest';
import { rootNodeIds } from '../../../src/core/definition';
import { e, loop } from './helpers';

const nodes = (...ids: string[]) => ids.map((nodeId) => ({ nodeId }));

describe('rootNodeIds', () => {
  it.each<[string, Parameters<typeof rootNodeIds>[0], string[]]>([
    ['single node', { nodes: nodes('a'), edges: [] }, ['a']],
    ['a chain has one root', { nodes: nodes('a', 'b', 'c'), edges: [e('a', 'b'), e('b', 'c')] }, ['a']],
    ['several roots, in declaration order', { nodes: nodes('x', 'b', 'a'), edges: [e('a', 'b'), e('x', 'b')] }, ['x', 'a']],
    [
      'a loop onExhausted-only target is not a root',
      { nodes: nodes('a', 'b', 'esc'), edges: [e('a', 'b')], loops: [loop('l', 'b', ['b'], { onExhausted: { routeToNodeId: 'esc' } })] },
      ['a'],
    ],
    [
      'an exhausted target with an incoming edge is not a root anyway',
      { nodes: nodes('a', 'esc'), edges: [e('a', 'esc')], loops: [loop('l', 'a', ['a'], { onExhausted: { routeToNodeId: 'esc' } })] },
      ['a'],
    ],
    ['a rootless cycle has none', { nodes: nodes('a', 'b'), edges: [e('a', 'b'), e('b', 'a')] }, []],
    ['an edge from an undeclared node does not hide a root', { nodes: nodes('a'), edges: [e('ghost', 'a')] }, ['a']],
  ])('%s', (_name, definition, expected) => {
    expect(rootNodeIds(definition)).toEqual(expected);
  });
});
