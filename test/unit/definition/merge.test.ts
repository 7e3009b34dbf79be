import { describe, expect, it } from 'vitest';
import {
  UpdateDefinitionRequestSchema,
  applyDefinitionUpdate,
  firstVersion,
  mergeDefinitionUpdate,
  nextVersion,
  toDefinitionView,
  type CanonicalDefinition,
} from '../../../src/core/definition';
import { APPROVE, MANDATORY_REJECT, REJECT, agent, definition, edge, expectValid, human } from './helpers';

const stored = expectValid(
  definition({
    definitionId: 'doc-signoff',
    name: 'Doc sign-off',
    description: 'Two-stage review',
    scope: { level: 'organization', organizationId: 'org-1' },
    nodes: [
      agent('draft'),
      agent('polish'),
      human('legal', { onReject: { routeToNodeId: 'notify' } }),
      human('final', { onReject: { loopBack: { toNodeId: 'polish', maxIterations: 2 } } }),
      agent('notify'),
      agent('publish'),
    ],
    edges: [edge('draft', 'legal'), edge('legal', 'polish', APPROVE), edge('polish', 'final'), edge('final', 'publish', APPROVE)],
    tags: ['legal'],
    custom: { team: 'ops' },
  }),
);

const update = (fields: Record<string, unknown>) =>
  UpdateDefinitionRequestSchema.parse({ definitionId: 'doc-signoff', ifVersion: 1, ...fields });
const apply = (fields: Record<string, unknown>, base: CanonicalDefinition = stored) => applyDefinitionUpdate(base, update(fields));
const applied = (fields: Record<string, unknown>, base: CanonicalDefinition = stored): CanonicalDefinition => {
  const result = apply(fields, base);
  if (!result.ok) expect.fail(result.violations.map((found) => found.message).join(' | '));
  return result.definition;
};
const view = (definition: CanonicalDefinition) => toDefinitionView(firstVersion(definition, 1));

describe('the stored fixture', () => {
  it('holds both synthesized forms', () => {
    expect(stored.edges.slice(4)).toEqual([{ from: 'legal', to: 'notify', when: REJECT }]);
    expect(stored.loops).toEqual([
      {
        loopId: 'auto_final_loopback',
        entryNodeId: 'polish',
        bodyNodeIds: ['polish', 'final'],
        onIterationReject: { when: MANDATORY_REJECT },
        maxIterations: 2,
      },
    ]);
  });
});

describe('mergeDefinitionUpdate: partial merge', () => {
  it('a rename keeps everything else, synthesized edges and loops included', () => {
    expect(applied({ name: 'Renamed' })).toEqual({ ...stored, name: 'Renamed' });
  });

  it('an update with no content fields re-validates to the same content', () => {
    expect(applied({})).toEqual(stored);
  });

  it.each<[string, Record<string, unknown>, Partial<CanonicalDefinition>]>([
    ['null clears description', { description: null }, { description: null }],
    ['null clears tags and custom', { tags: null, custom: null }, { tags: null, custom: null }],
    ['tags replaced whole', { tags: ['a', 'b'] }, { tags: ['a', 'b'] }],
    ['triggers set', { triggers: [{ triggerId: 't' }] }, { triggers: [{ triggerId: 't' }] }],
  ])('%s', (_name, fields, expected) => {
    expect(applied(fields)).toEqual({ ...stored, ...expected });
  });

  it('the merge is built on the authored form (onReject back on its node, synthesized items removed)', () => {
    const merged = mergeDefinitionUpdate(stored, update({ name: 'X' }));
    expect(merged.definitionId).toBe('doc-signoff');
    expect(merged.edges).toHaveLength(4);
    expect(merged.loops).toBeNull();
    expect(merged.nodes.find((node) => node.nodeId === 'legal')?.config).toMatchObject({ onReject: { routeToNodeId: 'notify' } });
  });

  it('new edges re-infer the loopBack body while the shorthand stays in force', () => {
    const result = applied({
      edges: [
        edge('draft', 'legal'),
        edge('legal', 'polish', APPROVE),
        edge('polish', 'check'),
        edge('check', 'final'),
        edge('final', 'publish', APPROVE),
      ],
      nodes: [
        ...stored.nodes.slice(0, 2),
        human('legal', { onReject: { routeToNodeId: 'notify' } }),
        agent('check'),
        human('final', { onReject: { loopBack: { toNodeId: 'polish', maxIterations: 2 } } }),
        ...stored.nodes.slice(4),
      ],
    });
    expect(result.loops?.[0]?.bodyNodeIds).toEqual(['polish', 'check', 'final']);
  });

  it('edges sent back from the view (synthesized ones included) are not duplicates', () => {
    const { edges } = view(stored);
    expect(applied({ edges })).toEqual(stored);
  });

  it('loops sent back from the view (synthesized ones included) are not duplicates', () => {
    const { loops } = view(stored);
    expect(applied({ loops })).toEqual(stored);
  });

  it('a changed copy of a synthesized loop is not an echo: it conflicts with the shorthand', () => {
    const loops = [{ ...stored.loops?.[0], maxIterations: 4 }];
    expect(apply({ loops }).ok).toBe(false);
  });

  it('sending the whole view back is a no-op', () => {
    const { nodes, edges, loops } = view(stored);
    expect(applied({ nodes, edges, loops })).toEqual(stored);
  });

  it('a view round trip works with a 64-char nodeId (synthesized loopId over 64 chars)', () => {
    const id = 'n'.repeat(64);
    const long = expectValid(
      definition({ nodes: [agent('a'), human(id, { onReject: { loopBack: { toNodeId: 'a' } } })], edges: [edge('a', id)] }),
    );
    expect(long.loops?.[0]?.loopId).toBe(`auto_${id}_loopback`);
    const { nodes, edges, loops } = view(long);
    expect(applied({ nodes, edges, loops }, long)).toEqual(long);
  });

  it('nodes sent back from the view keep their stored shorthands', () => {
    const nodes = [...view(stored).nodes, agent('audit')];
    const result = applied({ nodes, edges: [...stored.edges.slice(0, 4), edge('publish', 'audit')] });
    expect(result.authoredOnReject).toEqual(stored.authoredOnReject);
    expect(result.edges.slice(-1)).toEqual([{ from: 'legal', to: 'notify', when: REJECT }]);
    expect(result.loops).toEqual(stored.loops);
  });

  it('a sent node with its own onReject replaces the stored one', () => {
    const nodes = [
      ...view(stored).nodes.filter((node) => node.nodeId !== 'legal'),
      human('legal', { onReject: { routeToNodeId: 'publish' } }),
    ];
    const result = applied({ nodes });
    expect(result.edges.filter((found) => found.when === REJECT)).toEqual([{ from: 'legal', to: 'publish', when: REJECT }]);
  });

  it('a sent node covered by a new authored loop gives up its shorthand', () => {
    const nodes = view(stored).nodes;
    const result = applied({
      nodes,
      loops: [{ loopId: 'final-round', entryNodeId: 'polish', bodyNodeIds: ['polish', 'final'], maxIterations: 3 }],
    });
    expect(result.loops).toEqual([{ loopId: 'final-round', entryNodeId: 'polish', bodyNodeIds: ['polish', 'final'], maxIterations: 3 }]);
    expect(result.authoredOnReject.map((entry) => entry.nodeId)).toEqual(['legal']);
  });

  it('without sent nodes the stored shorthands stay in force, so a new loop over one conflicts', () => {
    const result = apply({ loops: [{ loopId: 'final-round', entryNodeId: 'polish', bodyNodeIds: ['polish', 'final'], maxIterations: 3 }] });
    expect(result.ok ? [] : result.violations.map((found) => found.code)).toEqual(['on-reject-loop-overlap']);
  });

  it('the merged result is validated exactly like a create', () => {
    const result = apply({ edges: [...stored.edges.slice(0, 4), edge('publish', 'draft')] });
    expect(result.ok ? null : result.error.message).toBe('cycle-detected: draft -> legal -> polish -> final -> publish -> draft');
  });

  it.each<[string, Record<string, unknown>, CanonicalDefinition['scope'] | string]>([
    [
      'top-level organizationId edits the stored scope id',
      { organizationId: 'org-2' },
      { level: 'organization', organizationId: 'org-2', documentId: null },
    ],
    ['a new scope replaces the stored one', { scope: { level: 'apiKey' } }, { level: 'apiKey', organizationId: null, documentId: null }],
    [
      'a document scope from top-level ids',
      { scope: { level: 'document' }, organizationId: 'o', documentId: 'd' },
      { level: 'document', organizationId: 'o', documentId: 'd' },
    ],
    [
      'a scope edit must still satisfy the required-when rules',
      { scope: { level: 'document', organizationId: 'o' } },
      'data.scope.documentId: required when scope.level is "document"',
    ],
    [
      'a documentId alone does not fit an organization scope',
      { documentId: 'd' },
      'data.scope.documentId: only allowed when scope.level is "document"',
    ],
  ])('%s', (_name, fields, expected) => {
    const result = apply(fields);
    if (typeof expected === 'string') expect(result.ok ? null : result.error.message).toBe(expected);
    else expect(result.ok ? result.definition.scope : result.error.message).toEqual(expected);
  });

  it('tolerates a stored record without provenance (nothing to re-sugar)', () => {
    const plain = expectValid(definition({ nodes: [agent('a')] }));
    const { authoredOnReject: _dropped, ...legacy } = plain;
    expect(applied({ name: 'New' }, legacy as CanonicalDefinition)).toEqual({ ...plain, name: 'New' });
  });
});

describe('stored records', () => {
  it('create makes version 1, active, createdAt = updatedAt = now', () => {
    expect(firstVersion(stored, 100)).toMatchObject({
      version: 1,
      status: 'active',
      createdAt: 100,
      updatedAt: 100,
      content: { name: 'Doc sign-off' },
    });
  });

  it('update bumps the version, keeps createdAt, replaces the content', () => {
    const v1 = firstVersion(stored, 100);
    const v2 = nextVersion(v1, applied({ name: 'Renamed' }, v1.content), 250);
    expect(v2).toMatchObject({ version: 2, status: 'active', createdAt: 100, updatedAt: 250, content: { name: 'Renamed' } });
    expect(v2.content).toEqual({ ...stored, name: 'Renamed' });
  });
});
