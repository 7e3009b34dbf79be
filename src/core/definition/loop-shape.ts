import type { GraphEdge } from './graph';
import type { Group } from './schema/group';
import type { Loop } from './schema/loop';

/** Where one iteration of a loop ends: one node, the members of one joinOnQuorum group, or nowhere (the linter refuses that). */
export type LoopTerminal = { kind: 'node'; nodeId: string } | { kind: 'group'; groupId: string } | { kind: 'none' };

export const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
};

/**
 * The body nodes an iteration ends at: those owning an edge that leaves the body, or, when no
 * edge leaves it, the body's sinks.
 */
export const loopExits = (loop: Pick<Loop, 'bodyNodeIds'>, edges: readonly GraphEdge[]): string[] => {
  const body = new Set(loop.bodyNodeIds);
  const outgoing = (id: string) => edges.filter((edge) => edge.from === id);
  const owners = loop.bodyNodeIds.filter((id) => outgoing(id).some((edge) => !body.has(edge.to)));
  return owners.length > 0 ? owners : loop.bodyNodeIds.filter((id) => outgoing(id).length === 0);
};

/** The joinOnQuorum group whose members are exactly the loop's exits (a group-bounded body). */
export const boundingGroup = (exits: readonly string[], groups: readonly Group[]): Group | undefined =>
  exits.length === 0 ? undefined : groups.find((group) => group.onQuorumMet === 'joinOnQuorum' && sameSet(group.memberNodeIds, exits));

export const loopTerminal = (loop: Pick<Loop, 'bodyNodeIds'>, edges: readonly GraphEdge[], groups: readonly Group[]): LoopTerminal => {
  const exits = loopExits(loop, edges);
  const [only] = exits;
  if (exits.length === 1 && only !== undefined) return { kind: 'node', nodeId: only };
  const group = boundingGroup(exits, groups);
  return group ? { kind: 'group', groupId: group.groupId } : { kind: 'none' };
};
