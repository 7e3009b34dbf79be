/** Minimal structural shapes, so graph helpers serve authored, desugared and stored forms alike. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
}
export interface GraphLoop {
  readonly loopId: string;
  readonly entryNodeId: string;
  readonly bodyNodeIds: readonly string[];
  readonly onExhausted?: { readonly routeToNodeId?: string | null | undefined } | null | undefined;
}
export interface GraphDefinition {
  readonly nodes: readonly { readonly nodeId: string }[];
  readonly edges: readonly GraphEdge[];
  readonly loops?: readonly GraphLoop[] | null | undefined;
}

export type Adjacency = ReadonlyMap<string, readonly string[]>;

/** Successor lists in edge order; edges touching an undeclared node are left out (dangling-edge reports them). */
export const successors = (nodeIds: Iterable<string>, edges: readonly GraphEdge[]): Adjacency => {
  const adjacency = new Map<string, string[]>();
  for (const id of nodeIds) adjacency.set(id, []);
  for (const edge of edges) {
    if (adjacency.has(edge.to)) adjacency.get(edge.from)?.push(edge.to);
  }
  return adjacency;
};

export const predecessors = (nodeIds: Iterable<string>, edges: readonly GraphEdge[]): Adjacency =>
  successors(
    nodeIds,
    edges.map((edge) => ({ from: edge.to, to: edge.from })),
  );

/** Every node reachable from `starts` (the starts included). */
export const reachable = (starts: Iterable<string>, adjacency: Adjacency): Set<string> => {
  const seen = new Set<string>();
  const stack = [...starts].filter((id) => adjacency.has(id));
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of adjacency.get(id) ?? []) if (!seen.has(next)) stack.push(next);
  }
  return seen;
};

export const exhaustedRouteIds = (loops: readonly GraphLoop[] | null | undefined): Set<string> =>
  new Set((loops ?? []).flatMap((loop) => (loop.onExhausted?.routeToNodeId ? [loop.onExhausted.routeToNodeId] : [])));

/**
 * Nodes with no incoming edge, in declaration order, except nodes reached only as a loop's
 * `onExhausted` route (they run when the loop gives up, never at dispatch).
 */
export const rootNodeIds = (definition: GraphDefinition): string[] => {
  const declared = new Set(definition.nodes.map((node) => node.nodeId));
  const targets = new Set(definition.edges.filter((edge) => declared.has(edge.from)).map((edge) => edge.to));
  const exhausted = exhaustedRouteIds(definition.loops);
  const roots = definition.nodes.map((node) => node.nodeId).filter((id) => !targets.has(id) && !exhausted.has(id));
  return [...new Set(roots)];
};
