import { Graph, layout } from '@dagrejs/dagre';
import type { CanonicalDefinition } from '../../core/definition/canonical';

export interface LaidOutNode {
  nodeId: string;
  type: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutEdge {
  from: string;
  to: string;
  label: string;
  points: Array<{ x: number; y: number }>;
}

export interface LaidOutCluster {
  id: string;
  kind: 'group' | 'loop';
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutGraph {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  clusters: LaidOutCluster[];
}

const NODE_WIDTH = 190;
const NODE_HEIGHT = 54;
const clusterKey = (kind: 'group' | 'loop', id: string): string => `${kind}:${id}`;

const edgeLabel = (edge: CanonicalDefinition['edges'][number]): string => edge.role ?? (edge.when === null ? '' : 'when');

/**
 * Lays a definition out top to bottom with dagre (docs/ui.md, "Graphs"): nodes, edges labelled by
 * role or gate, groups and loops as clusters. G2 and G3 definitions share the canonical form, so
 * one layout serves both. A node belongs to at most one cluster: its group wins over its loop.
 */
export const layoutDefinition = (content: CanonicalDefinition): LaidOutGraph => {
  const graph = new Graph({ compound: true, multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 56, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of content.nodes) graph.setNode(node.nodeId, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const parentOf = new Map<string, string>();
  for (const group of content.groups ?? []) {
    const key = clusterKey('group', group.groupId);
    graph.setNode(key, { width: 0, height: 0 });
    for (const member of group.memberNodeIds) if (graph.hasNode(member) && !parentOf.has(member)) parentOf.set(member, key);
  }
  for (const loop of content.loops ?? []) {
    const key = clusterKey('loop', loop.loopId);
    graph.setNode(key, { width: 0, height: 0 });
    for (const member of [loop.entryNodeId, ...loop.bodyNodeIds])
      if (graph.hasNode(member) && !parentOf.has(member)) parentOf.set(member, key);
  }
  for (const [child, parent] of parentOf) graph.setParent(child, parent);
  content.edges.forEach((edge, index) => {
    if (graph.hasNode(edge.from) && graph.hasNode(edge.to))
      graph.setEdge(edge.from, edge.to, { label: edgeLabel(edge), width: 40, height: 14 }, String(index));
  });
  layout(graph);

  const nodes = content.nodes.map((node): LaidOutNode => {
    const placed = graph.node(node.nodeId) as { x: number; y: number; width: number; height: number };
    return {
      nodeId: node.nodeId,
      type: node.type,
      label: node.name ?? node.nodeId,
      x: placed.x,
      y: placed.y,
      width: placed.width,
      height: placed.height,
    };
  });
  const edges = graph.edges().map((ref): LaidOutEdge => {
    const label = graph.edge(ref) as { label?: string; points?: Array<{ x: number; y: number }> };
    return { from: ref.v, to: ref.w, label: label.label ?? '', points: label.points ?? [] };
  });
  const clusters: LaidOutCluster[] = [
    ...(content.groups ?? []).map((group) => ({
      id: group.groupId,
      kind: 'group' as const,
      label: `group ${group.groupId} (quorum ${group.quorum}/${group.expectedSteps})`,
    })),
    ...(content.loops ?? []).map((loop) => ({ id: loop.loopId, kind: 'loop' as const, label: `loop ${loop.loopId}` })),
  ].flatMap((cluster) => {
    const placed = graph.node(clusterKey(cluster.kind, cluster.id)) as
      { x?: number; y?: number; width?: number; height?: number } | undefined;
    if (!placed || placed.x === undefined || placed.y === undefined || !placed.width || !placed.height) return [];
    return [{ ...cluster, x: placed.x, y: placed.y, width: placed.width, height: placed.height }];
  });
  const size = graph.graph() as { width?: number; height?: number };
  return { width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes, edges, clusters };
};
