import { describe, expect, it } from 'vitest';
import { firstVersion, toDefinitionView, type StoredDefinition } from '../../../src/core/definition';
import { APPROVE, REJECT, VIEW_KEYS, agent, definition, edge, expectValid, human, onRejectBothWays } from './helpers';

describe('toDefinitionView', () => {
  it('a minimal definition: every unset optional is null, scope ids null', () => {
    const view = toDefinitionView(firstVersion(expectValid(definition()), 1_731_432_000_000));
    expect(view).toEqual({
      definitionId: 'test-definition',
      name: 'Test definition',
      description: null,
      version: 1,
      scope: { level: 'apiKey', organizationId: null, documentId: null },
      nodes: [{ nodeId: 'start', type: 'agent', config: { agentId: '__mock__', blocking: false } }],
      edges: [],
      groups: null,
      loops: null,
      compiled: { generation: 'g2', forwardEdges: [], loops: [] },
      triggers: null,
      tags: null,
      custom: null,
      createdAt: 1_731_432_000_000,
      updatedAt: 1_731_432_000_000,
      status: 'active',
    });
    expect(Object.keys(view)).toEqual(VIEW_KEYS);
  });

  it('echoes the canonical form: onReject stripped, synthesized edges and loops included, when null where unset', () => {
    const stored = firstVersion(
      expectValid(
        definition({
          nodes: onRejectBothWays(),
          edges: [edge('a', 'h'), edge('h', 'h2', APPROVE)],
        }),
      ),
      5,
    );
    const view = toDefinitionView(stored);
    expect(view.edges).toEqual([
      { from: 'a', to: 'h', when: null },
      { from: 'h', to: 'h2', when: APPROVE },
      { from: 'h', to: 'x', when: REJECT },
    ]);
    expect(view.loops?.map((loop) => loop.loopId)).toEqual(['auto_h2_loopback']);
    expect(view.nodes.every((node) => !('onReject' in node.config))).toBe(true);
    expect(view).not.toHaveProperty('authoredOnReject');
  });

  it('resolves defaults missing from an older stored record and strips a stray onReject', () => {
    const legacy = {
      ...firstVersion(
        expectValid(definition({ nodes: [agent('a'), human('h', { onReject: { routeToNodeId: 'a' } })], edges: [] }), 'lenient'),
        1,
      ),
      status: 'tombstoned',
      version: 4,
    } as StoredDefinition;
    const raw = JSON.parse(JSON.stringify(legacy));
    delete raw.content.nodes[0].config.blocking;
    raw.content.nodes[1].config.onReject = { routeToNodeId: 'a' };
    delete raw.content.edges;
    raw.content.edges = [{ from: 'h', to: 'a' }];
    delete raw.content.description;
    const view = toDefinitionView(raw as StoredDefinition);
    expect(view.nodes).toEqual([
      { nodeId: 'a', type: 'agent', config: { agentId: '__mock__', blocking: false } },
      { nodeId: 'h', type: 'human', config: { reviewers: [{ userId: 'h-reviewer', mandatory: true }] } },
    ]);
    expect(view.edges).toEqual([{ from: 'h', to: 'a', when: null }]);
    expect(view).toMatchObject({ description: null, status: 'tombstoned', version: 4 });
  });

  it('keeps set values and the explicit blocking flag', () => {
    const view = toDefinitionView(
      firstVersion(
        expectValid(
          definition({
            description: 'd',
            scope: { level: 'organization', organizationId: 'org-1' },
            nodes: [agent('a', { blocking: true, resolutionPolicy: { kind: 'allResolved' } }, { slaMs: 1000 })],
            groups: [],
            tags: ['t'],
            custom: { k: 1 },
            triggers: [{ triggerId: 't' }],
          }),
        ),
        1,
      ),
    );
    expect(view).toMatchObject({
      description: 'd',
      scope: { level: 'organization', organizationId: 'org-1', documentId: null },
      nodes: [
        {
          nodeId: 'a',
          type: 'agent',
          slaMs: 1000,
          config: { agentId: '__mock__', blocking: true, resolutionPolicy: { kind: 'allResolved' } },
        },
      ],
      groups: [],
      tags: ['t'],
      custom: { k: 1 },
      triggers: [{ triggerId: 't' }],
    });
  });

  it('does not share node configs with the stored record', () => {
    const stored = firstVersion(expectValid(definition()), 1);
    const view = toDefinitionView(stored);
    (view.nodes[0]?.config as Record<string, unknown>).agentId = 'changed';
    expect(stored.content.nodes[0]?.config).toEqual({ agentId: '__mock__', blocking: false });
  });
});
