import { describe, expect, it } from 'vitest';
import type { CanonicalDefinition } from '../../../src/core/definition/canonical';
import { layoutDefinition } from '../../../src/infra/ui/definition-graph';

const definition = (extra: Partial<CanonicalDefinition>): CanonicalDefinition => ({
  definitionId: 'd',
  name: 'D',
  description: null,
  scope: { level: 'apiKey' } as CanonicalDefinition['scope'],
  // Only what the layout reads; the node configs are not part of the drawing.
  nodes: [
    { nodeId: 'draft', type: 'agent', config: { agentId: '__mock__' } },
    { nodeId: 'legal', type: 'human', config: { reviewers: [{ userId: 'u', mandatory: true }] } },
    { nodeId: 'brand', type: 'human', config: { reviewers: [{ userId: 'v', mandatory: true }] } },
  ] as unknown as CanonicalDefinition['nodes'],
  edges: [
    { from: 'draft', to: 'legal', when: null },
    { from: 'draft', to: 'brand', when: null, role: 'approve' },
    { from: 'draft', to: 'ghost', when: null },
  ],
  groups: null,
  loops: null,
  triggers: null,
  tags: null,
  custom: null,
  authoredOnReject: [],
  ...extra,
});

describe('definition graph layout (dagre)', () => {
  it('places every node inside the drawing, ranks edges downwards, labels roles, and drops edges to undeclared nodes', () => {
    const graph = layoutDefinition(definition({}));
    expect(graph.nodes.map((node) => node.nodeId)).toEqual(['draft', 'legal', 'brand']);
    for (const node of graph.nodes) {
      expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
      expect(node.y + node.height / 2).toBeLessThanOrEqual(graph.height);
    }
    const y = (id: string) => graph.nodes.find((node) => node.nodeId === id)!.y;
    expect(y('legal')).toBeGreaterThan(y('draft'));
    expect(graph.edges.map((edge) => `${edge.from}->${edge.to}:${edge.label}`).sort()).toEqual(['draft->brand:approve', 'draft->legal:']);
    expect(graph.edges.every((edge) => edge.points.length >= 2)).toBe(true);
  });

  it('draws a group as a cluster around its members', () => {
    const groups = [{ groupId: 'review', memberNodeIds: ['legal', 'brand'], expectedSteps: 2, quorum: 2 }];
    const graph = layoutDefinition(definition({ groups }));
    const [cluster] = graph.clusters;
    expect(cluster).toMatchObject({ id: 'review', kind: 'group', label: 'group review (quorum 2/2)' });
    for (const member of graph.nodes.filter((node) => node.nodeId !== 'draft')) {
      expect(Math.abs(member.x - cluster!.x)).toBeLessThan(cluster!.width / 2);
      expect(Math.abs(member.y - cluster!.y)).toBeLessThan(cluster!.height / 2);
    }
  });
});
