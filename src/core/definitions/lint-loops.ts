import { violation, type CanonicalEdge, type CanonicalNode, type Violation } from './canonical';
import { adjacency, reachable } from './graph';
import type { Group, Loop } from './schema';

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id) => b.includes(id));

/** Every loop-* code of spec §3, including the two body shapes of §2.9. */
export const lintLoops = (
  nodes: readonly CanonicalNode[],
  edges: readonly CanonicalEdge[],
  loops: readonly Loop[],
  groups: readonly Group[],
): Violation[] => {
  const found: Violation[] = [];
  const nodeIds = nodes.map((node) => node.nodeId);
  const known = new Set(nodeIds);
  const out = adjacency(nodeIds, edges);
  const ids = new Set<string>();
  const inLoop = new Map<string, string>();
  for (const loop of loops) {
    const l = loop.loopId;
    if (ids.has(l)) found.push(violation('loop-duplicate-id', `loop id "${l}" is declared more than once`));
    ids.add(l);
    const body = new Set(loop.bodyNodeIds);
    for (const id of loop.bodyNodeIds) {
      if (!known.has(id)) found.push(violation('loop-body-member-missing', `loop ${l} body node "${id}" is not a declared node`));
      const other = inLoop.get(id);
      if (other !== undefined && other !== l) found.push(violation('loop-node-in-multiple-loops', `node ${id} is in loops ${other} and ${l}`));
      inLoop.set(id, l);
    }
    if (!body.has(loop.entryNodeId)) {
      found.push(violation('loop-entry-must-be-in-body', `loop ${l} entry ${loop.entryNodeId} is not in its body`));
    } else {
      const reached = reachable(out, [loop.entryNodeId], body);
      for (const id of loop.bodyNodeIds) {
        if (known.has(id) && !reached.has(id)) {
          found.push(violation('loop-body-unreachable-from-entry', `loop ${l} body node ${id} cannot be reached from ${loop.entryNodeId}`));
        }
      }
    }
    const route = loop.onExhausted?.routeToNodeId;
    if (route !== undefined && !known.has(route)) {
      found.push(violation('loop-on-exhausted-route-to-not-found', `loop ${l} onExhausted.routeToNodeId "${route}" is not a declared node`));
    }
    if (route !== undefined && body.has(route)) {
      found.push(violation('loop-on-exhausted-route-to-in-body', `loop ${l} onExhausted.routeToNodeId "${route}" is in the body`));
    }
    const owners = loop.bodyNodeIds.filter((id) => (out.get(id) ?? []).some((to) => !body.has(to)));
    // With no edge leaving the body, its sinks end the iteration.
    const terminals = owners.length > 0 ? owners : loop.bodyNodeIds.filter((id) => known.has(id) && (out.get(id) ?? []).length === 0);
    if (terminals.length === 1) continue;
    const bounding = groups.find((group) => (group.onQuorumMet ?? 'waitAll') === 'joinOnQuorum' && sameSet(group.memberNodeIds, terminals));
    if (!bounding || terminals.length === 0 || !bounding.memberNodeIds.every((id) => body.has(id))) {
      found.push(
        violation(
          'loop-body-must-have-single-terminal',
          `loop ${l} body ends at ${terminals.length === 0 ? 'no node' : terminals.join(', ')}; it needs one terminal node or exactly the members of one joinOnQuorum group`,
        ),
      );
    } else if (bounding.quorum !== bounding.expectedSteps) {
      found.push(
        violation('loop-group-bounded-quorum-must-equal-expected', `loop ${l} is bounded by group ${bounding.groupId}, whose quorum must equal expectedSteps`),
      );
    }
  }
  return found;
};
