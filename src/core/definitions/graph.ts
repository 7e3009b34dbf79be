import type { CanonicalEdge } from './canonical';

/** Adjacency over declared nodes only (dangling edges are the linter's to report). */
export const adjacency = (nodeIds: readonly string[], edges: readonly CanonicalEdge[]): Map<string, string[]> => {
  const known = new Set(nodeIds);
  const out = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const edge of edges) {
    if (known.has(edge.from) && known.has(edge.to)) out.get(edge.from)?.push(edge.to);
  }
  return out;
};

export const reverse = (out: Map<string, string[]>): Map<string, string[]> => {
  const back = new Map<string, string[]>([...out.keys()].map((id) => [id, []]));
  for (const [from, targets] of out) for (const to of targets) back.get(to)?.push(from);
  return back;
};

/** Nodes reachable from `starts` (inclusive), optionally staying inside `within`. */
export const reachable = (out: Map<string, string[]>, starts: readonly string[], within?: ReadonlySet<string>): Set<string> => {
  const seen = new Set<string>();
  const stack = starts.filter((id) => !within || within.has(id));
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of out.get(id) ?? []) if (!within || within.has(next)) stack.push(next);
  }
  return seen;
};

/** One cycle as a path `a -> b -> a`, or null when the graph is acyclic. */
export const findCycle = (out: Map<string, string[]>): string[] | null => {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'open');
    path.push(id);
    for (const next of out.get(id) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of out.keys()) {
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return null;
};

/** Spec §4.4: nodes with no incoming edge, except those only a loop's onExhausted route reaches. */
export const rootNodeIds = (def: {
  nodes: readonly { nodeId: string }[];
  edges: readonly { to: string }[];
  loops?: readonly { onExhausted?: { routeToNodeId?: string | undefined } | undefined }[] | null;
}): string[] => {
  const targets = new Set(def.edges.map((edge) => edge.to));
  const exhaustedOnly = new Set((def.loops ?? []).map((loop) => loop.onExhausted?.routeToNodeId).filter(Boolean));
  return def.nodes.map((node) => node.nodeId).filter((id) => !targets.has(id) && !exhaustedOnly.has(id));
};
