import { describe, expect, it } from 'vitest';
import { mergeDefinitionUpdate, rootNodeIds, toDefinitionView, validateDefinition, type CanonicalDefinition } from '../../../src/core/definitions';
import { agent, APPROVE, definition, edge, human } from './builders';

const accept = (input: unknown): CanonicalDefinition => {
  const result = validateDefinition(input);
  if (!result.ok) throw new Error(`expected a valid definition, got: ${result.error.message}`);
  return result.definition;
};

const refusal = (input: unknown): string => {
  const result = validateDefinition(input);
  if (result.ok) throw new Error('expected a refusal');
  expect(result.error.status).toBe('INVALID_ARGUMENT');
  return result.error.message;
};

describe('schema messages', () => {
  it.each([
    ['definitionId pattern', { definitionId: 'X' }, 'data.definitionId'],
    ['name too long', { name: 'n'.repeat(201) }, 'data.name'],
    ['more than 100 nodes', { nodes: Array.from({ length: 101 }, (_, i) => agent(`n${i}`)) }, 'data.nodes'],
    ['an unknown node type', { nodes: [{ nodeId: 'a', type: 'robot', config: {} }] }, 'data.nodes[0].type'],
    ['an unknown config field', { nodes: [agent('a', { config: { agentId: 'x', colour: 1 } })] }, 'data.nodes[0].config.colour'],
    ['a promptOverride over 8000 chars', { nodes: [agent('a', { config: { agentId: 'x', promptOverride: 'p'.repeat(8001) } })] }, 'promptOverride'],
    ['agentMaxRuntimeMs over a day', { nodes: [agent('a', { config: { agentId: 'x', agentMaxRuntimeMs: 86_400_001 } })] }, 'agentMaxRuntimeMs'],
    ['slaMs over seven days', { nodes: [agent('a', { slaMs: 7 * 86_400_000 + 1 })] }, 'data.nodes[0].slaMs'],
    ['more than 20 tags', { nodes: [agent('a')], tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'data.tags'],
    ['a tag over 64 chars', { nodes: [agent('a')], tags: ['t'.repeat(65)] }, 'data.tags[0]'],
    ['a when over 4000 chars', { nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', `"${'x'.repeat(4001)}"`)] }, 'data.edges[0].when'],
  ])('rejects %s naming the field', (_label, patch, field) => {
    expect(refusal(definition({ nodes: [agent('a')], ...patch }))).toContain(field);
  });

  it.each([
    [{ blocking: true }, 'resolutionPolicy required when blocking === true'],
    [{ blocking: true, resolutionPolicy: { kind: 'minResolved' } }, 'minCount required when kind === "minResolved"'],
  ])('gives the documented agent message for %j', (config, message) => {
    expect(refusal(definition({ nodes: [agent('a', { config: { agentId: 'x', ...config } })] }))).toContain(message);
  });

  it.each([
    [{ reviewers: undefined }, 'at least one of reviewerIds or reviewers must be provided'],
    [{ reviewerIds: ['u1'] }, 'cannot set both reviewerIds and reviewers, use one'],
    [{ reviewers: [{ userId: 'u', mandatory: true }, { userId: 'u', mandatory: false }] }, 'reviewer userIds must be unique'],
    [
      { reviewers: [{ userId: 'u', mandatory: false }] },
      'reviewers must include at least one mandatory reviewer (allMandatoryApproved would otherwise never resolve)',
    ],
  ])('gives the documented human message for %j', (config, message) => {
    const node = human('h', { onReject: { routeToNodeId: 'x' }, ...config });
    expect(refusal(definition({ nodes: [node, agent('x')] }))).toContain(message);
  });

  it.each([
    [{ level: 'organization' }, 'data.scope.organizationId: required when scope.level is "organization"'],
    [{ level: 'document', organizationId: 'o' }, 'data.scope.documentId: required when scope.level is "document"'],
  ])('enforces the scope ids for %j', (scope, message) => {
    expect(refusal(definition({ nodes: [agent('a')], scope }))).toBe(message);
  });

  it('takes scope ids from the top level and refuses disagreeing ones', () => {
    expect(accept(definition({ nodes: [agent('a')], scope: { level: 'organization' }, organizationId: 'org' })).scope).toEqual({
      level: 'organization',
      organizationId: 'org',
      documentId: null,
    });
    expect(refusal(definition({ nodes: [agent('a')], scope: { level: 'organization', organizationId: 'a' }, organizationId: 'b' }))).toContain(
      'data.organizationId: does not match scope.organizationId',
    );
  });
});

describe('when compilation', () => {
  it('stores infix and canonical forms alike as canonical JSON', () => {
    const stored = accept(definition({ nodes: [agent('a'), agent('b'), agent('c')], edges: [edge('a', 'b', 'output.score >= 3'), edge('a', 'c', APPROVE)] }));
    expect(JSON.parse(stored.edges[0]!.when!)).toEqual({ op: 'gte', args: [{ var: 'output.score' }, 3] });
    expect(stored.edges[1]!.when).toBe(APPROVE);
  });

  it('names the edge whose when does not compile', () => {
    expect(refusal(definition({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', '{"op":"nope","args":[]}')] }))).toMatch(
      /^data\.edges\[0\]\.when: .*nope/,
    );
  });
});

describe('onReject desugaring', () => {
  it('turns routeToNodeId into a reject-gated edge and strips onReject', () => {
    const stored = accept(definition({ nodes: [human('h', { onReject: { routeToNodeId: 'fix' } }), agent('ok'), agent('fix')], edges: [edge('h', 'ok', APPROVE)] }));
    expect(stored.edges).toEqual([
      { from: 'h', to: 'ok', when: APPROVE },
      { from: 'h', to: 'fix', when: JSON.stringify({ op: 'eq', args: [{ var: 'output.decision' }, 'reject'] }) },
    ]);
    expect(JSON.stringify(stored.nodes)).not.toContain('onReject');
  });

  it('turns loopBack into an auto loop over the inferred body with defaults', () => {
    const stored = accept(
      definition({
        nodes: [agent('draft'), agent('polish'), human('review', { onReject: { loopBack: { toNodeId: 'draft', onExhausted: { routeToNodeId: 'give-up' } } } }), agent('give-up'), agent('side')],
        edges: [edge('draft', 'polish'), edge('polish', 'review'), edge('draft', 'side')],
      }),
    );
    expect(stored.loops).toEqual([
      { loopId: 'auto_review_loopback', entryNodeId: 'draft', bodyNodeIds: ['draft', 'polish', 'review'], maxIterations: 5, onExhausted: { routeToNodeId: 'give-up' } },
    ]);
  });

  it.each([
    ['a missing routeToNodeId target', [human('h', { onReject: { routeToNodeId: 'ghost' } })], [], 'routeToNodeId "ghost" is not a declared node'],
    ['a duplicate of an authored edge', [human('h', { onReject: { routeToNodeId: 'x' } }), agent('x')], [edge('h', 'x', APPROVE)], 'duplicates an authored edge'],
    ['an unconditional sibling edge', [human('h', { onReject: { routeToNodeId: 'x' } }), agent('x'), agent('y')], [edge('h', 'y')], 'unconditional outgoing edge'],
    ['an empty inferred body', [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a' } } })], [], 'no path from a to h'],
    [
      'an overlap with another loop',
      [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a' } } })],
      [edge('a', 'h')],
      'already in the body of loop other',
    ],
    ['a loop back to itself', [human('h', { onReject: { loopBack: { toNodeId: 'h' } } })], [], 'cannot be the rejecting node itself'],
    ['a missing onExhausted target', [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a', onExhausted: { routeToNodeId: 'ghost' } } } })], [edge('a', 'h')], 'onExhausted.routeToNodeId "ghost"'],
  ])('refuses %s', (label, nodes, edges, message) => {
    const loops = label === 'an overlap with another loop' ? [{ loopId: 'other', entryNodeId: 'h', bodyNodeIds: ['h'], maxIterations: 2 }] : undefined;
    expect(refusal(definition({ nodes, edges, ...(loops ? { loops } : {}) }))).toContain(message);
  });
});

describe('strict mode', () => {
  it('lists every human node without a reject path', () => {
    expect(refusal(definition({ nodes: [human('a'), human('b'), agent('c')], edges: [edge('a', 'c'), edge('b', 'c')] }))).toBe(
      'Human nodes missing a reject path: a, b',
    );
  });

  it('accepts loop membership as a reject path', () => {
    expect(() => accept(definition({ nodes: [human('a')], loops: [{ loopId: 'l', entryNodeId: 'a', bodyNodeIds: ['a'], maxIterations: 2 }] }))).not.toThrow();
  });
});

describe('merge and view', () => {
  const stored = accept(
    definition({ nodes: [human('h', { onReject: { routeToNodeId: 'fix' } }), agent('ok'), agent('fix')], edges: [edge('h', 'ok', APPROVE)], tags: ['a'] }),
  );

  it('keeps omitted fields, replaces sent ones, clears nulls, and re-desugars from the author input', () => {
    const merged = accept(mergeDefinitionUpdate(stored, { definitionId: 'lint-test', ifVersion: 1, name: 'renamed', tags: null }));
    expect(merged.name).toBe('renamed');
    expect(merged.tags).toBeNull();
    expect(merged.edges).toEqual(stored.edges);
  });

  it('serves null for unset optionals, blocking:false on agents, and hides the author input', () => {
    const view = toDefinitionView({ definitionId: 'lint-test', version: 3, status: 'active', createdAt: 1, updatedAt: 2, content: stored });
    expect(view).toMatchObject({ description: null, groups: null, loops: null, triggers: null, custom: null, version: 3, status: 'active' });
    expect(view).not.toHaveProperty('source');
    expect(view.nodes.find((node) => node.nodeId === 'ok')?.config).toMatchObject({ blocking: false });
  });

  it('finds the root nodes, leaving out onExhausted-only targets', () => {
    expect(rootNodeIds({ nodes: [{ nodeId: 'a' }, { nodeId: 'b' }, { nodeId: 'z' }], edges: [{ to: 'b' }], loops: [{ onExhausted: { routeToNodeId: 'z' } }] })).toEqual(['a']);
  });
});
