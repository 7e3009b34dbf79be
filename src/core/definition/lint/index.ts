import type { Violation } from '../violation';
import { cycles, danglingEdges, unreachableNodes } from './graph-rules';
import { groupRules } from './group-rules';
import type { LintInput, LintRule } from './input';
import { loopRules } from './loop-rules';
import { duplicateNodeIds, missingBreachEdges, missingConfigs } from './node-rules';

export type { LintInput } from './input';

// The order of the table in docs/api.md, "Linter codes", so the first violation (the envelope message) is predictable.
const RULES: readonly LintRule[] = [
  duplicateNodeIds,
  danglingEdges,
  cycles,
  unreachableNodes,
  missingConfigs,
  missingBreachEdges,
  groupRules,
  loopRules,
];

export const LINT_CODES = [
  'duplicate-node-id',
  'dangling-edge',
  'cycle-detected',
  'unreachable-node',
  'node-missing-config',
  'missing-breach-edge',
  'group-duplicate-id',
  'group-members-empty',
  'group-member-missing',
  'group-expected-steps-invalid',
  'group-quorum-invalid',
  'group-cancelonquorum-requires-quorum-lt-expected',
  'group-joinonquorum-members-must-share-successors',
  'group-required-not-in-members',
  'group-required-exceeds-quorum',
  'group-node-in-multiple-groups',
  'loop-duplicate-id',
  'loop-entry-must-be-in-body',
  'loop-body-member-missing',
  'loop-body-unreachable-from-entry',
  'loop-body-must-have-single-terminal',
  'loop-node-in-multiple-loops',
  'loop-on-exhausted-route-to-not-found',
  'loop-on-exhausted-route-to-in-body',
  'loop-group-bounded-quorum-must-equal-expected',
] as const;
export type LintCode = (typeof LINT_CODES)[number];

/** Stage 5: every linter rule (docs/api.md, "Linter codes") over the desugared graph; all violations, none short-circuited. */
export const lintDefinition = (input: LintInput): Violation[] => RULES.flatMap((rule) => rule(input));
