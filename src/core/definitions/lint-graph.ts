import { testsStepStatus, type WhenAst } from '../when';
import { violation, type CanonicalEdge, type CanonicalNode, type Violation } from './canonical';
import { adjacency, findCycle, reachable, rootNodeIds } from './graph';
import type { Loop } from './schema';

/** Node and edge rules: duplicate-node-id, dangling-edge, cycle-detected, unreachable-node, node-missing-config, missing-breach-edge. */
export const lintGraph = (
  nodes: readonly CanonicalNode[],
  edges: readonly CanonicalEdge[],
  loops: readonly Loop[],
  astOf: (when: string) => WhenAst | undefined,
): Violation[] => {
  const found: Violation[] = [];
  const seen = new Set<string>();
  for (const node of nodes) {
    if (seen.has(node.nodeId)) found.push(violation('duplicate-node-id', `node id "${node.nodeId}" is declared more than once`));
    seen.add(node.nodeId);
    if (node.config === undefined) found.push(violation('node-missing-config', `node ${node.nodeId} has no config`));
  }
  for (const edge of edges) {
    for (const end of [edge.from, edge.to]) {
      if (!seen.has(end)) found.push(violation('dangling-edge', `edge ${edge.from} -> ${edge.to} names undeclared node "${end}"`));
    }
  }
  const nodeIds = [...seen];
  const out = adjacency(nodeIds, edges);
  const cycle = findCycle(out);
  if (cycle) found.push(violation('cycle-detected', cycle.join(' -> ')));
  const exhaustedTargets = new Set(loops.map((loop) => loop.onExhausted?.routeToNodeId).filter((id): id is string => Boolean(id)));
  const reached = reachable(out, [...rootNodeIds({ nodes, edges, loops }), ...exhaustedTargets]);
  for (const id of nodeIds) {
    if (!reached.has(id)) found.push(violation('unreachable-node', `node ${id} cannot be reached from any root`));
  }
  for (const node of nodes) {
    if (node.slaMs === undefined) continue;
    const outgoing = edges.filter((edge) => edge.from === node.nodeId);
    // A node with no outgoing edge is exempt: a breach there simply fails the run (A20).
    if (outgoing.length === 0) continue;
    const routesBreach = outgoing.some((edge) => {
      if (edge.when === null) return true;
      const ast = astOf(edge.when);
      return ast !== undefined && testsStepStatus(ast, 'breached');
    });
    if (!routesBreach) {
      found.push(violation('missing-breach-edge', `node ${node.nodeId} has slaMs but no outgoing edge routes on step.status == "breached"`));
    }
  }
  return found;
};
