import { invalidArgument } from '../errors';
import { MANDATORY_REJECT_AST } from '../definition/predicates';
import { DEFAULT_AGENT_MAX_RUNTIME_MS } from '../definition/schema/limits';
import { parseWhen, type WhenAst } from '../when';

/*
 * The minimal structural view of a canonical (desugared, validated) definition the interpreter
 * needs. `config` stays `object` so whatever the definition schema infers is assignable; the
 * readers below narrow it field by field.
 */

export type NodeType = 'agent' | 'human' | 'webhook';
export type QuorumPolicy = 'waitAll' | 'cancelOnQuorum' | 'joinOnQuorum';

export interface NodeLike {
  readonly nodeId: string;
  readonly type: NodeType;
  readonly config: object;
  readonly slaMs?: number | null | undefined;
}

export interface EdgeLike {
  readonly from: string;
  readonly to: string;
  readonly when?: string | null | undefined;
}

export interface GroupLike {
  readonly groupId: string;
  readonly memberNodeIds: readonly string[];
  readonly expectedSteps: number;
  readonly quorum: number;
  readonly onQuorumMet?: QuorumPolicy | null | undefined;
  readonly requiredNodeIds?: readonly string[] | null | undefined;
}

export interface LoopLike {
  readonly loopId: string;
  readonly entryNodeId: string;
  readonly bodyNodeIds: readonly string[];
  readonly onIterationReject?: { readonly when?: string | null | undefined } | null | undefined;
  readonly onExhausted?: { readonly routeToNodeId?: string | null | undefined } | null | undefined;
  readonly maxIterations: number;
}

export interface DefinitionLike {
  readonly definitionId: string;
  readonly nodes: readonly NodeLike[];
  readonly edges: readonly EdgeLike[];
  readonly groups?: readonly GroupLike[] | null | undefined;
  readonly loops?: readonly LoopLike[] | null | undefined;
}

/** Agent node config fields the interpreter reads (spec §2.3). */
export interface AgentConfigLike {
  readonly agentId: string;
  readonly urlPath?: string | null;
  readonly promptOverride?: string | null;
  readonly inputMapping?: Record<string, unknown> | null;
  readonly blocking?: boolean | null;
  readonly resolutionPolicy?: { readonly kind: 'allResolved' | 'minResolved'; readonly minCount?: number | null } | null;
  readonly agentMaxRuntimeMs?: number | null;
  readonly requireNonEmptyOutput?: boolean | null;
}

/** Human node config fields the interpreter reads (spec §2.4). */
export interface HumanConfigLike {
  readonly reviewers?: readonly { readonly userId: string; readonly mandatory: boolean }[] | null;
  readonly reviewerIds?: readonly string[] | null;
  readonly reviewerEmails?: readonly string[] | null;
  readonly commentBody?: string | null;
}

/** Decisions §5: 30 minutes (A16); the definition model owns the value. */
export { DEFAULT_AGENT_MAX_RUNTIME_MS };

/** Spec §2.7: `decision == 'reject' && rejectorMandatory == true`, as the definition model spells it. */
export const DEFAULT_LOOP_PREDICATE: WhenAst = MANDATORY_REJECT_AST;

export interface Reviewer {
  userId: string;
  mandatory: boolean;
}

export interface AgentSpec {
  agentId: string;
  urlPath: string | null;
  promptOverride: string | null;
  inputMapping: Record<string, unknown>;
  blocking: boolean;
  policy: { kind: 'allResolved' | 'minResolved'; minCount: number };
  maxRuntimeMs: number;
  requireNonEmptyOutput: boolean;
}

export interface HumanSpec {
  reviewers: Reviewer[];
  reviewerEmails: string[];
  commentBody: string | null;
}

export interface PlanEdge {
  from: string;
  to: string;
  /** Compiled gate; null fires always. */
  when: WhenAst | null;
}

export interface PlanNode {
  nodeId: string;
  type: NodeType;
  slaMs: number | null;
  agent: AgentSpec | null;
  human: HumanSpec | null;
  /** The node's outgoing edges in definition order. */
  out: PlanEdge[];
  groupId: string | null;
  loopId: string | null;
}

export interface PlanGroup {
  groupId: string;
  members: string[];
  expectedSteps: number;
  quorum: number;
  policy: QuorumPolicy;
  required: string[];
  /** Union of the members' edge targets, in definition order (the join's successors). */
  successors: string[];
  /** The loop whose body this group bounds (group-bounded body, spec §2.9), if any. */
  boundsLoopId: string | null;
}

export type LoopTerminal = { kind: 'node'; nodeId: string } | { kind: 'group'; groupId: string } | { kind: 'none' };

export interface PlanLoop {
  loopId: string;
  entryNodeId: string;
  body: string[];
  predicate: WhenAst;
  maxIterations: number;
  exhaustedRoute: string | null;
  terminal: LoopTerminal;
}

export interface Plan {
  definitionId: string;
  nodes: Map<string, PlanNode>;
  groups: Map<string, PlanGroup>;
  loops: Map<string, PlanLoop>;
  /** Nodes with no incoming edge that are not a loop's exhausted route, in definition order. */
  roots: string[];
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const int = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const field = (config: object, key: string): unknown => (Object.hasOwn(config, key) ? (config as Record<string, unknown>)[key] : undefined);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const agentSpec = (config: object): AgentSpec => {
  const policy = field(config, 'resolutionPolicy');
  const kind = isRecord(policy) && policy.kind === 'minResolved' ? 'minResolved' : 'allResolved';
  return {
    agentId: str(field(config, 'agentId')) ?? '',
    urlPath: str(field(config, 'urlPath')),
    promptOverride: str(field(config, 'promptOverride')),
    inputMapping: isRecord(field(config, 'inputMapping')) ? (field(config, 'inputMapping') as Record<string, unknown>) : {},
    blocking: field(config, 'blocking') === true,
    policy: { kind, minCount: Math.max(1, (isRecord(policy) ? int(policy.minCount) : null) ?? 1) },
    maxRuntimeMs: int(field(config, 'agentMaxRuntimeMs')) ?? DEFAULT_AGENT_MAX_RUNTIME_MS,
    requireNonEmptyOutput: field(config, 'requireNonEmptyOutput') === true,
  };
};

const humanSpec = (config: object): HumanSpec => {
  const reviewers = field(config, 'reviewers');
  const list: Reviewer[] = Array.isArray(reviewers)
    ? reviewers
        .filter(isRecord)
        .flatMap((r) => (typeof r.userId === 'string' ? [{ userId: r.userId, mandatory: r.mandatory === true }] : []))
    : // Legacy `reviewerIds`: every entry is mandatory (G3 reading; `reviewers` needs one mandatory anyway).
      strings(field(config, 'reviewerIds')).map((userId) => ({ userId, mandatory: true }));
  return {
    reviewers: list,
    reviewerEmails: strings(field(config, 'reviewerEmails')),
    commentBody: str(field(config, 'commentBody')),
  };
};

const compile = (definitionId: string, what: string, source: string): WhenAst => {
  const result = parseWhen(source);
  if (!result.ok) throw invalidArgument(`definition ${definitionId}: ${what}: ${result.message}`);
  return result.ast;
};

const sameSet = (a: readonly string[], b: readonly string[]): boolean => {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
};

const loopTerminal = (loop: LoopLike, nodes: Map<string, PlanNode>, groups: readonly GroupLike[]): LoopTerminal => {
  const body = new Set(loop.bodyNodeIds);
  const owners = loop.bodyNodeIds.filter((id) => (nodes.get(id)?.out ?? []).some((e) => !body.has(e.to)));
  // A body with no outward edge ends at its sinks (nodes with no edge inside the body either).
  const candidates = owners.length > 0 ? owners : loop.bodyNodeIds.filter((id) => (nodes.get(id)?.out ?? []).length === 0);
  const [only] = candidates;
  if (candidates.length === 1 && only !== undefined) return { kind: 'node', nodeId: only };
  const group = groups.find((g) => (g.onQuorumMet ?? 'waitAll') === 'joinOnQuorum' && sameSet(g.memberNodeIds, candidates));
  return group && candidates.length > 0 ? { kind: 'group', groupId: group.groupId } : { kind: 'none' };
};

/** Compiles the pinned definition once per workflow (deterministic; never stored in state). */
export const buildPlan = (definition: DefinitionLike): Plan => {
  const id = definition.definitionId;
  const nodes = new Map<string, PlanNode>();
  for (const node of definition.nodes) {
    nodes.set(node.nodeId, {
      nodeId: node.nodeId,
      type: node.type,
      slaMs: typeof node.slaMs === 'number' && node.slaMs > 0 ? node.slaMs : null,
      agent: node.type === 'agent' ? agentSpec(node.config) : null,
      human: node.type === 'human' ? humanSpec(node.config) : null,
      out: [],
      groupId: null,
      loopId: null,
    });
  }
  const incoming = new Set<string>();
  for (const edge of definition.edges) {
    const from = nodes.get(edge.from);
    if (!from || !nodes.has(edge.to)) throw invalidArgument(`definition ${id}: dangling-edge: ${edge.from} -> ${edge.to}`);
    const when = typeof edge.when === 'string' ? compile(id, `edge ${edge.from} -> ${edge.to}`, edge.when) : null;
    from.out.push({ from: edge.from, to: edge.to, when });
    incoming.add(edge.to);
  }
  const groupDefs = definition.groups ?? [];
  const loopDefs = definition.loops ?? [];
  const loops = new Map<string, PlanLoop>();
  for (const loop of loopDefs) {
    const custom = loop.onIterationReject?.when;
    loops.set(loop.loopId, {
      loopId: loop.loopId,
      entryNodeId: loop.entryNodeId,
      body: [...loop.bodyNodeIds],
      predicate: typeof custom === 'string' ? compile(id, `loop ${loop.loopId} onIterationReject.when`, custom) : DEFAULT_LOOP_PREDICATE,
      maxIterations: Math.max(1, loop.maxIterations),
      exhaustedRoute: loop.onExhausted?.routeToNodeId ?? null,
      terminal: loopTerminal(loop, nodes, groupDefs),
    });
    for (const nodeId of loop.bodyNodeIds) {
      const node = nodes.get(nodeId);
      if (node) node.loopId = loop.loopId;
    }
  }
  const groups = new Map<string, PlanGroup>();
  for (const group of groupDefs) {
    const successors: string[] = [];
    for (const edge of definition.edges) {
      if (group.memberNodeIds.includes(edge.from) && !successors.includes(edge.to)) successors.push(edge.to);
    }
    const bounding = [...loops.values()].find((l) => l.terminal.kind === 'group' && l.terminal.groupId === group.groupId);
    groups.set(group.groupId, {
      groupId: group.groupId,
      members: [...group.memberNodeIds],
      expectedSteps: group.expectedSteps,
      quorum: group.quorum,
      policy: group.onQuorumMet ?? 'waitAll',
      required: [...(group.requiredNodeIds ?? [])],
      successors,
      boundsLoopId: bounding?.loopId ?? null,
    });
    for (const nodeId of group.memberNodeIds) {
      const node = nodes.get(nodeId);
      if (node) node.groupId = group.groupId;
    }
  }
  const exhaustedRoutes = new Set([...loops.values()].flatMap((l) => (l.exhaustedRoute ? [l.exhaustedRoute] : [])));
  const roots = definition.nodes.map((n) => n.nodeId).filter((n) => !incoming.has(n) && !exhaustedRoutes.has(n));
  return { definitionId: id, nodes, groups, loops, roots };
};

/** Lookup that treats an unknown node as a programming error (state and plan disagree). */
export const planNode = (plan: Plan, nodeId: string): PlanNode => {
  const node = plan.nodes.get(nodeId);
  if (!node) throw new Error(`interpreter: node ${nodeId} is not in definition ${plan.definitionId}`);
  return node;
};
