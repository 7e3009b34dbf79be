import type { Group } from '../schema/group';
import { quote, violation, type Violation } from '../violation';
import { sameSet } from '../loop-shape';
import { declaredIds, duplicates, type LintInput, type LintRule } from './input';

const label = (group: Group): string => `group ${quote(group.groupId)}`;

const successorsOf = (input: LintInput, nodeId: string): string[] => [
  ...new Set(input.edges.filter((edge) => edge.from === nodeId).map((edge) => edge.to)),
];

const checkGroup = (input: LintInput, group: Group, declared: ReadonlySet<string>): Violation[] => {
  const found: Violation[] = [];
  const { memberNodeIds: members, expectedSteps, quorum } = group;
  const policy = group.onQuorumMet ?? 'waitAll';
  const required = group.requiredNodeIds ?? [];
  if (members.length === 0) found.push(violation('group-members-empty', `${label(group)} lists no members`));
  for (const id of members) {
    if (!declared.has(id)) found.push(violation('group-member-missing', `${label(group)}: member ${quote(id)} is not a declared node`));
  }
  if (expectedSteps < 1) {
    found.push(violation('group-expected-steps-invalid', `${label(group)}: expectedSteps must be at least 1 (got ${expectedSteps})`));
  }
  if (quorum < 1 || quorum > expectedSteps) {
    found.push(
      violation('group-quorum-invalid', `${label(group)}: quorum must be between 1 and expectedSteps (${expectedSteps}), got ${quorum}`),
    );
  }
  if (policy === 'cancelOnQuorum' && quorum >= expectedSteps) {
    found.push(
      violation(
        'group-cancelonquorum-requires-quorum-lt-expected',
        `${label(group)}: cancelOnQuorum needs quorum < expectedSteps (quorum ${quorum}, expectedSteps ${expectedSteps})`,
      ),
    );
  }
  if (policy === 'joinOnQuorum') {
    const sets = members.filter((id) => declared.has(id)).map((id) => [id, successorsOf(input, id)] as const);
    const first = sets[0];
    if (first && sets.some(([, targets]) => !sameSet(targets, first[1]))) {
      const shown = sets.map(([id, targets]) => `${id} -> [${targets.join(', ')}]`).join('; ');
      found.push(
        violation(
          'group-joinonquorum-members-must-share-successors',
          `${label(group)}: joinOnQuorum members must have the same outgoing-edge targets (${shown})`,
        ),
      );
    }
  }
  for (const id of required) {
    if (!members.includes(id)) {
      found.push(violation('group-required-not-in-members', `${label(group)}: requiredNodeIds entry ${quote(id)} is not a member`));
    }
  }
  if (required.length > quorum) {
    found.push(
      violation(
        'group-required-exceeds-quorum',
        `${label(group)}: requiredNodeIds has ${required.length} entries, more than quorum ${quorum}`,
      ),
    );
  }
  return found;
};

export const groupRules: LintRule = (input) => {
  const declared = declaredIds(input);
  const duplicateIds = duplicates(input.groups.map((group) => group.groupId)).map(([id, count]) =>
    violation('group-duplicate-id', `${quote(id)} is declared ${count} times`),
  );
  const perGroup = input.groups.flatMap((group) => checkGroup(input, group, declared));
  const owners = new Map<string, string[]>();
  for (const group of input.groups) {
    for (const id of new Set(group.memberNodeIds)) owners.set(id, [...(owners.get(id) ?? []), group.groupId]);
  }
  const shared = [...owners]
    .filter(([, groups]) => groups.length > 1)
    .map(([id, groups]) =>
      violation('group-node-in-multiple-groups', `${quote(id)} is a member of groups ${groups.map(quote).join(', ')}`),
    );
  return [...duplicateIds, ...perGroup, ...shared];
};
