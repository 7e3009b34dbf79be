import { exhaustedRouteIds, reachable, rootNodeIds, successors } from '../graph';
import { quote, violation } from '../violation';
import { findCycles } from './cycles';
import { declaredIds, type LintRule } from './input';

export const danglingEdges: LintRule = (input) => {
  const declared = declaredIds(input);
  return input.edges.flatMap((edge, i) => {
    const missing = [...new Set([edge.from, edge.to])].filter((id) => !declared.has(id));
    return missing.length === 0
      ? []
      : [
          violation(
            'dangling-edge',
            `edges[${i}] ${edge.from} -> ${edge.to}: ${missing.map(quote).join(' and ')} ${missing.length > 1 ? 'are not declared nodes' : 'is not a declared node'}`,
          ),
        ];
  });
};

export const cycles: LintRule = (input) => {
  const order = input.nodes.map((node) => node.nodeId);
  return findCycles(order, successors(order, input.edges)).map((cycle) => violation('cycle-detected', cycle.join(' -> ')));
};

/**
 * A loop's `onExhausted` route is entered from the loop, not through an edge; a node reached only
 * that way is neither a root nor unreachable (docs/api.md, "Linter codes").
 */
export const unreachableNodes: LintRule = (input) => {
  const order = input.nodes.map((node) => node.nodeId);
  const virtualEdges = input.loops.flatMap((loop) => {
    const route = loop.onExhausted?.routeToNodeId;
    return route === undefined ? [] : loop.bodyNodeIds.map((from) => ({ from, to: route }));
  });
  const seen = reachable(rootNodeIds(input), successors(order, [...input.edges, ...virtualEdges]));
  const declared = declaredIds(input);
  const hasIncoming = new Set(input.edges.filter((edge) => declared.has(edge.from)).map((edge) => edge.to));
  const exhaustedOnly = [...exhaustedRouteIds(input.loops)].filter((id) => !hasIncoming.has(id));
  return [...new Set(order)]
    .filter((id) => !seen.has(id) && !exhaustedOnly.includes(id))
    .map((id) => violation('unreachable-node', `${quote(id)} cannot be reached from any root node (a node with no incoming edges)`));
};
