import { expect } from 'vitest';
import {
  lintDefinition,
  validateDefinition,
  type CanonicalDefinition,
  type CanonicalEdge,
  type Group,
  type LintInput,
  type Loop,
  type ValidationMode,
  type Violation,
} from '../../../src/core/definition';

const when = (ast: unknown): string => JSON.stringify(ast);
export const APPROVE = when({ op: 'eq', args: [{ var: 'output.decision' }, 'approve'] });
export const REJECT = when({ op: 'eq', args: [{ var: 'output.decision' }, 'reject'] });
export const BREACHED = when({ op: 'eq', args: [{ var: 'step.status' }, 'breached'] });
export const MANDATORY_REJECT = when({
  op: 'and',
  args: [
    { op: 'eq', args: [{ var: 'output.decision' }, 'reject'] },
    { op: 'eq', args: [{ var: 'output.rejectorMandatory' }, true] },
  ],
});

type Json = Record<string, any>;

export const agent = (nodeId: string, config: Json = {}, extra: Json = {}): Json => ({
  nodeId,
  type: 'agent',
  config: { agentId: '__mock__', ...config },
  ...extra,
});

export const human = (nodeId: string, config: Json = {}, extra: Json = {}): Json => ({
  nodeId,
  type: 'human',
  config: { reviewers: [{ userId: `${nodeId}-reviewer`, mandatory: true }], ...config },
  ...extra,
});

export const edge = (from: string, to: string, gate?: string | null): Json =>
  gate === undefined ? { from, to } : { from, to, when: gate };

export const definition = (overrides: Json = {}): Json => ({
  definitionId: 'test-definition',
  name: 'Test definition',
  nodes: [agent('start')],
  edges: [],
  ...overrides,
});

export const violationsOf = (input: unknown, mode: ValidationMode = 'strict'): Violation[] => {
  const result = validateDefinition(input, mode);
  return result.ok ? [] : result.violations;
};

export const messagesOf = (input: unknown, mode: ValidationMode = 'strict'): string[] =>
  violationsOf(input, mode).map((found) => found.message);

export const codesOf = (input: unknown, mode: ValidationMode = 'strict'): string[] => violationsOf(input, mode).map((found) => found.code);

export const expectValid = (input: unknown, mode: ValidationMode = 'strict'): CanonicalDefinition => {
  const result = validateDefinition(input, mode);
  if (!result.ok) expect.fail(`expected a valid definition, got: ${result.violations.map((found) => found.message).join(' | ')}`);
  return result.definition;
};

// Linter-level builders: the desugared graph, written directly.
export const lintNode = (nodeId: string, extra: Json = {}): LintInput['nodes'][number] => ({
  nodeId,
  type: 'agent',
  config: { agentId: '__mock__' },
  ...extra,
});
export const e = (from: string, to: string, gate: string | null = null): CanonicalEdge => ({ from, to, when: gate });
export const group = (groupId: string, memberNodeIds: string[], extra: Partial<Group> = {}): Group => ({
  groupId,
  memberNodeIds,
  expectedSteps: memberNodeIds.length,
  quorum: memberNodeIds.length,
  ...extra,
});
export const loop = (loopId: string, entryNodeId: string, bodyNodeIds: string[], extra: Partial<Loop> = {}): Loop => ({
  loopId,
  entryNodeId,
  bodyNodeIds,
  maxIterations: 3,
  ...extra,
});

export interface LintCase {
  nodes: (string | LintInput['nodes'][number])[];
  edges?: CanonicalEdge[];
  groups?: Group[];
  loops?: Loop[];
}

export const lint = ({ nodes, edges = [], groups = [], loops = [] }: LintCase): Violation[] =>
  lintDefinition({
    nodes: nodes.map((node) => (typeof node === 'string' ? lintNode(node) : node)),
    edges,
    groups,
    loops,
  });

/** The keys of a G2 DefinitionView, in the order the view writes them (docs/api.md, "Definition"). */
export const VIEW_KEYS = [
  'definitionId',
  'name',
  'description',
  'version',
  'scope',
  'nodes',
  'edges',
  'groups',
  'loops',
  'compiled',
  'triggers',
  'tags',
  'custom',
  'createdAt',
  'updatedAt',
  'status',
];

/** Nodes whose humans use both onReject shorthands: `h` routes to `x`, `h2` loops back to `a`. */
export const onRejectBothWays = () => [
  agent('a'),
  human('h', { onReject: { routeToNodeId: 'x' } }),
  agent('x'),
  human('h2', { onReject: { loopBack: { toNodeId: 'a' } } }),
];
