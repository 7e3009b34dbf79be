import { violation, type CanonicalEdge, type CanonicalNode, type Violation } from './canonical';
import type { Group } from './schema';

const targetsOf = (edges: readonly CanonicalEdge[], nodeId: string): string =>
  [...new Set(edges.filter((edge) => edge.from === nodeId).map((edge) => edge.to))].sort().join(',');

/** Every group-* code of spec §3. */
export const lintGroups = (nodes: readonly CanonicalNode[], edges: readonly CanonicalEdge[], groups: readonly Group[]): Violation[] => {
  const found: Violation[] = [];
  const known = new Set(nodes.map((node) => node.nodeId));
  const ids = new Set<string>();
  const memberOf = new Map<string, string>();
  for (const group of groups) {
    const g = group.groupId;
    if (ids.has(g)) found.push(violation('group-duplicate-id', `group id "${g}" is declared more than once`));
    ids.add(g);
    if (group.memberNodeIds.length === 0) found.push(violation('group-members-empty', `group ${g} has no members`));
    for (const member of group.memberNodeIds) {
      if (!known.has(member)) found.push(violation('group-member-missing', `group ${g} member "${member}" is not a declared node`));
      const other = memberOf.get(member);
      if (other !== undefined && other !== g) {
        found.push(violation('group-node-in-multiple-groups', `node ${member} is a member of groups ${other} and ${g}`));
      }
      memberOf.set(member, g);
    }
    if (group.expectedSteps < 1) found.push(violation('group-expected-steps-invalid', `group ${g} expectedSteps must be at least 1`));
    if (group.quorum < 1 || group.quorum > group.expectedSteps) {
      found.push(violation('group-quorum-invalid', `group ${g} quorum ${group.quorum} must be between 1 and expectedSteps (${group.expectedSteps})`));
    }
    const policy = group.onQuorumMet ?? 'waitAll';
    if (policy === 'cancelOnQuorum' && group.quorum >= group.expectedSteps) {
      found.push(
        violation('group-cancelonquorum-requires-quorum-lt-expected', `group ${g} uses cancelOnQuorum with quorum >= expectedSteps`),
      );
    }
    if (policy === 'joinOnQuorum') {
      const shapes = new Set(group.memberNodeIds.filter((member) => known.has(member)).map((member) => targetsOf(edges, member)));
      if (shapes.size > 1) {
        found.push(
          violation('group-joinonquorum-members-must-share-successors', `group ${g} members have different sets of successors`),
        );
      }
    }
    const required = group.requiredNodeIds ?? [];
    for (const id of required) {
      if (!group.memberNodeIds.includes(id)) {
        found.push(violation('group-required-not-in-members', `group ${g} requires "${id}", which is not a member`));
      }
    }
    if (required.length > group.quorum) {
      found.push(violation('group-required-exceeds-quorum', `group ${g} requires ${required.length} members but quorum is ${group.quorum}`));
    }
  }
  return found;
};
