import type { CanonicalEdge, CanonicalNode, Violation } from './canonical';
import { adjacency, reachable, reverse } from './graph';
import { REJECT_GATE } from './reject-gate';
import type { Loop } from './schema';

export interface Desugared {
  nodes: CanonicalNode[];
  edges: CanonicalEdge[];
  loops: Loop[];
}

const DEFAULT_LOOPBACK_ITERATIONS = 5;

/**
 * Spec §2.10: `onReject.routeToNodeId` becomes a reject-gated edge, `onReject.loopBack` an
 * `auto_<nodeId>_loopback` loop over the inferred body. `onReject` is removed from stored nodes.
 * `whens` maps a loopBack's custom predicate to its canonical form (compiled beforehand).
 */
export const desugar = (
  nodes: readonly CanonicalNode[],
  edges: readonly CanonicalEdge[],
  loops: readonly Loop[],
  loopBackWhen: (nodeId: string) => string | undefined,
): { result: Desugared; violations: Violation[] } => {
  const violations: Violation[] = [];
  const fail = (nodeId: string, message: string): void => {
    violations.push({ code: null, message: `nodes.${nodeId}.config.onReject: ${message}` });
  };
  const nodeIds = nodes.map((node) => node.nodeId);
  const known = new Set(nodeIds);
  const out = adjacency(nodeIds, edges);
  const back = reverse(out);
  const syntheticEdges: CanonicalEdge[] = [];
  const syntheticLoops: Loop[] = [];
  const bodyOwner = new Map<string, string>();
  for (const loop of loops) for (const id of loop.bodyNodeIds) bodyOwner.set(id, loop.loopId);

  const stripped = nodes.map((node): CanonicalNode => {
    if (node.type !== 'human' || !node.config?.onReject) return node;
    const { onReject, ...config } = node.config;
    const self = node.nodeId;
    if (onReject.routeToNodeId !== undefined) {
      const target = onReject.routeToNodeId;
      if (!known.has(target)) fail(self, `routeToNodeId "${target}" is not a declared node`);
      else if (edges.some((edge) => edge.from === self && edge.to === target)) {
        fail(self, `the synthesized reject edge ${self} -> ${target} duplicates an authored edge`);
      } else if (edges.some((edge) => edge.from === self && edge.when === null)) {
        fail(self, `${self} also has an unconditional outgoing edge, which would fire on reject too; gate it on approve`);
      } else syntheticEdges.push({ from: self, to: target, when: REJECT_GATE });
    }
    if (onReject.loopBack !== undefined) {
      const { toNodeId, maxIterations, onExhausted } = onReject.loopBack;
      const exhaustedTo = onExhausted?.routeToNodeId;
      if (!known.has(toNodeId)) fail(self, `loopBack.toNodeId "${toNodeId}" is not a declared node`);
      else if (exhaustedTo !== undefined && !known.has(exhaustedTo)) {
        fail(self, `loopBack.onExhausted.routeToNodeId "${exhaustedTo}" is not a declared node`);
      } else if (toNodeId === self) fail(self, 'loopBack.toNodeId cannot be the rejecting node itself');
      else {
        const forward = reachable(out, [toNodeId]);
        const backward = reachable(back, [self]);
        const body = nodeIds.filter((id) => forward.has(id) && backward.has(id));
        const overlap = body.find((id) => bodyOwner.has(id));
        if (body.length === 0 || !body.includes(self)) fail(self, `no path from ${toNodeId} to ${self} to loop over`);
        else if (bodyOwner.has(self)) fail(self, `${self} is already in the body of loop ${bodyOwner.get(self)}`);
        else if (overlap !== undefined) fail(self, `the inferred body overlaps loop ${bodyOwner.get(overlap)} at ${overlap}`);
        else {
          const loopId = `auto_${self}_loopback`;
          for (const id of body) bodyOwner.set(id, loopId);
          const when = loopBackWhen(self);
          syntheticLoops.push({
            loopId,
            entryNodeId: toNodeId,
            bodyNodeIds: body,
            maxIterations: maxIterations ?? DEFAULT_LOOPBACK_ITERATIONS,
            ...(when !== undefined ? { onIterationReject: { when } } : {}),
            ...(exhaustedTo !== undefined ? { onExhausted: { routeToNodeId: exhaustedTo } } : {}),
          });
        }
      }
    }
    return { ...node, config };
  });
  return { result: { nodes: stripped, edges: [...edges, ...syntheticEdges], loops: [...loops, ...syntheticLoops] }, violations };
};
