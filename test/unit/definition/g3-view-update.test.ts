import { describe, expect, it } from 'vitest';
import {
  APPROVE_AST,
  MIXED_EDGE_MODEL_MESSAGE,
  REJECT_AST,
  applyDefinitionUpdate,
  firstVersion,
  isFullReplace,
  toDefinitionView,
  type CanonicalDefinition,
  type UpdateDefinitionInput,
} from '../../../src/core/definition';
import { APPROVE, VIEW_KEYS, agent, definition, edge, expectValid, human, onRejectBothWays } from './helpers';
import { g3Agent, g3Definition, g3Human, groupRef, on, sendBack, signoff } from './g3-helpers';

const view = (stored: CanonicalDefinition) => toDefinitionView(firstVersion(stored, 1_731_432_000_000));

const updated = (stored: CanonicalDefinition, fields: Record<string, unknown>): CanonicalDefinition => {
  const result = applyDefinitionUpdate(stored, { definitionId: stored.definitionId, ifVersion: 1, ...fields });
  if (!result.ok) expect.fail(result.violations.map((found) => found.message).join(' | '));
  return result.definition;
};

describe('the G3 view', () => {
  it('echoes the authored edges exactly as sent (key order too, no when: null added) and has no loops key', () => {
    const edges = [
      { to: 'agent-draft', from: 'human-boss', loop: { maxIterations: 3 }, on: 'reject' },
      { on: 'approve', from: { nodeId: 'human-boss', kind: 'node' }, to: 'agent-publish' },
      { from: 'agent-draft', to: 'human-boss' },
      { from: 'human-boss', to: 'escalate', on: 'exhausted' },
    ];
    const shown = view(expectValid({ ...sendBack(), edges }));
    expect(JSON.stringify(shown.edges)).toBe(JSON.stringify(edges));
    expect(shown).not.toHaveProperty('loops');
    // A G3 view has every key of a G2 view but `loops` (its loops are edges), in the same order.
    expect(Object.keys(shown)).toEqual(VIEW_KEYS.filter((key) => key !== 'loops'));
  });

  it('shows the compiled runtime graph: roles, gate ASTs, expanded group endpoints, derived loops', () => {
    const stored = expectValid(
      g3Definition({
        nodes: [g3Agent('draft'), g3Human('legal'), g3Human('brand'), g3Agent('publish'), g3Agent('cco')],
        edges: [
          on('draft', groupRef('review')),
          on(groupRef('review'), 'publish', 'approve'),
          on(groupRef('review'), 'draft', 'reject', { loop: { maxIterations: 3 } }),
          on(groupRef('review'), 'cco', 'exhausted'),
        ],
        groups: [{ groupId: 'review', memberNodeIds: ['legal', 'brand'], expectedSteps: 2, quorum: 2, onQuorumMet: 'joinOnQuorum' }],
      }),
    );
    expect(view(stored).compiled).toEqual({
      generation: 'g3',
      forwardEdges: [
        { from: 'draft', to: 'legal', role: 'always', when: null, toGroupId: 'review' },
        { from: 'draft', to: 'brand', role: 'always', when: null, toGroupId: 'review' },
        { from: 'legal', to: 'publish', role: 'approve', when: APPROVE_AST, fromGroupId: 'review' },
        { from: 'brand', to: 'publish', role: 'approve', when: APPROVE_AST, fromGroupId: 'review' },
      ],
      loops: [
        {
          loopId: 'reject_group_review__to__draft',
          entryNodeId: 'draft',
          bodyNodeIds: ['draft', 'legal', 'brand'],
          maxIterations: 3,
          onExhausted: { routeToNodeId: 'cco' },
        },
      ],
    });
  });

  it('node name and description are absent when unset, echoed when set', () => {
    const stored = expectValid(g3Definition({ nodes: [g3Human('review', { name: 'Review' }), g3Agent('rework')] }));
    const [review, rework] = view(stored).nodes;
    expect(review).toMatchObject({ name: 'Review' });
    expect(review).not.toHaveProperty('description');
    expect(rework).not.toHaveProperty('name');
    expect(rework).not.toHaveProperty('description');
  });
});

describe('the G2 view gains compiled, and nothing else changes', () => {
  it('reads each edge\u2019s role from its gate and lists the loops (synthesized ones included)', () => {
    const stored = expectValid(
      definition({
        nodes: onRejectBothWays(),
        edges: [edge('a', 'h2'), edge('h2', 'h', APPROVE), edge('h', 'x', 'output.score > 3')],
      }),
    );
    const shown = view(stored);
    expect(shown.compiled.generation).toBe('g2');
    expect(shown.compiled.forwardEdges.map(({ from, to, role }) => `${from}->${to}:${role}`)).toEqual([
      'a->h2:always',
      'h2->h:approve',
      'h->x:custom',
      'h->x:reject',
    ]);
    expect(shown.compiled.forwardEdges[3]?.when).toEqual(REJECT_AST);
    expect(shown.compiled.loops).toEqual([
      { loopId: 'auto_h2_loopback', entryNodeId: 'a', bodyNodeIds: ['a', 'h2'], maxIterations: 5, onExhausted: null },
    ]);
    expect(shown.edges[0]).toEqual({ from: 'a', to: 'h2', when: null });
    expect(shown.loops).toHaveLength(1);
  });
});

describe('updates per generation', () => {
  const stored = expectValid(
    g3Definition({
      description: 'Sign-off',
      scope: { level: 'organization', organizationId: 'org-1' },
      nodes: [g3Human('review'), g3Agent('rework')],
      edges: [on('review', 'rework', 'reject')],
      tags: ['legal'],
      triggers: [{ triggerId: 't1' }],
      custom: { team: 'ops' },
    }),
  );
  const body = {
    name: 'Sign-off v2',
    nodes: [g3Human('review'), g3Agent('rework'), g3Agent('publish')],
    edges: [on('review', 'rework', 'reject'), on('review', 'publish', 'approve')],
  };

  it('a G3 body with name, nodes and edges is a full replace: what it omits is removed', () => {
    const next = updated(stored, body);
    expect(next).toMatchObject({ name: 'Sign-off v2', description: null, tags: null, triggers: null, custom: null });
    expect(next.scope).toEqual({ level: 'apiKey', organizationId: null, documentId: null });
    expect(next.authoredEdges).toEqual(body.edges);
  });

  it('anything else is a partial merge on the authored edges', () => {
    expect(
      isFullReplace(stored, { definitionId: stored.definitionId, ifVersion: 1, name: 'x', nodes: body.nodes } as UpdateDefinitionInput),
    ).toBe(false);
    const renamed = updated(stored, { name: 'Renamed' });
    expect(renamed).toEqual({ ...stored, name: 'Renamed' });
    const rewired = updated(stored, { nodes: body.nodes, edges: body.edges });
    expect(rewired).toMatchObject({ name: stored.name, description: 'Sign-off', tags: ['legal'], custom: { team: 'ops' } });
    expect(rewired.authoredEdges).toEqual(body.edges);
    expect(updated(stored, { tags: null }).tags).toBeNull();
  });

  it('a G2 body is never a full replace, even with name, nodes and edges', () => {
    const g2 = expectValid(definition({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b')], tags: ['t'] }));
    const next = updated(g2, { name: 'n', nodes: [agent('a'), agent('b')], edges: [edge('a', 'b')] });
    expect(next.tags).toEqual(['t']);
    expect(next).not.toHaveProperty('generation');
  });

  it('the edge model sent to a definition that keeps onReject is refused as mixed', () => {
    const g2 = expectValid(
      definition({ nodes: [human('h', { onReject: { routeToNodeId: 'x' } }), agent('x'), agent('y')], edges: [edge('h', 'y', APPROVE)] }),
    );
    const result = applyDefinitionUpdate(g2, {
      definitionId: g2.definitionId,
      ifVersion: 1,
      edges: [on('h', 'y', 'approve')],
    } as UpdateDefinitionInput);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe(MIXED_EDGE_MODEL_MESSAGE);
  });

  it('a full G3 body moves a G2 definition to G3; a G2 body moves it back', () => {
    const g2 = expectValid(definition({ nodes: [human('h', { onReject: { routeToNodeId: 'x' } }), agent('x')], edges: [] }));
    const g3 = updated(g2, { name: 'now g3', nodes: [g3Human('h'), g3Agent('x')], edges: [on('h', 'x', 'reject')] });
    expect(g3.generation).toBe('g3');
    const back = updated(g3, { nodes: [human('h', { onReject: { routeToNodeId: 'x' } }), agent('x')], edges: [] });
    expect(back.generation).toBeUndefined();
    expect(back.authoredOnReject).toEqual([{ nodeId: 'h', onReject: { routeToNodeId: 'x' } }]);
  });

  it('the signoff round trip through its view is a no-op', () => {
    const original = expectValid(signoff());
    const { nodes, edges, name } = view(original);
    expect(updated(original, { name, nodes, edges })).toEqual(original);
  });
});
