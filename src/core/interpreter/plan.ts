import { invalidArgument } from '../errors';
import {
  generationOf,
  type CanonicalDefinition,
  type CanonicalHumanConfig,
  type CanonicalNode,
  type Generation,
} from '../definition/canonical';
import { rootNodeIds } from '../definition/graph';
import { loopTerminal, type LoopTerminal } from '../definition/loop-shape';
import { MANDATORY_REJECT_AST } from '../definition/predicates';
import type { AgentConfig } from '../definition/schema/agent-config';
import type { QuorumPolicy } from '../definition/schema/group';
import { DEFAULT_AGENT_MAX_RUNTIME_MS, DEFAULT_AGENT_POLL_INTERVAL_MS, G3_DEFAULT_AGENT_MAX_RUNTIME_MS } from '../definition/schema/limits';
import type { NodeType } from '../definition/schema/node';
import { runnableWebhookConfig, WEBHOOK_NODE_LIMITS } from '../definition/schema/webhook-node-rules';
import { parseWhen, type WhenAst } from '../when';

export type { Generation, LoopTerminal, NodeType, QuorumPolicy };

/** 30 minutes for `g2` definitions, 10 for `g3` ones (docs/behaviour.md, "G3 runtime"); the definition model owns the values. */
export { DEFAULT_AGENT_MAX_RUNTIME_MS, G3_DEFAULT_AGENT_MAX_RUNTIME_MS };

/** The default loop predicate (docs/runtime.md, "Loops"): `decision == 'reject' && rejectorMandatory == true`, as the definition model spells it. */
export const DEFAULT_LOOP_PREDICATE: WhenAst = MANDATORY_REJECT_AST;

export interface Reviewer {
  userId: string;
  mandatory: boolean;
}

export interface AgentSpec {
  agentId: string;
  /** The static URL; it wins over `urlPath`. */
  url: string | null;
  urlPath: string | null;
  promptOverride: string | null;
  inputMapping: Record<string, unknown>;
  blocking: boolean;
  policy: { kind: 'allResolved' | 'minResolved'; minCount: number };
  maxRuntimeMs: number;
  /** Only `g2` definitions enforce it (docs/behaviour.md, "G3 runtime"). */
  requireNonEmptyOutput: boolean;
  /** Passed to the agent when set; `g3` definitions default the first and last (false, 15000). */
  crossPageExecute: boolean | null;
  maxUrlsToProcess: number | null;
  userContextMapping: Record<string, string> | null;
  pollIntervalMs: number | null;
}

export interface HumanSpec {
  reviewers: Reviewer[];
  reviewerEmails: string[];
  commentBody: string | null;
}

/** A live webhook node's call (docs/inbound.md, "Webhook nodes"), defaults applied. */
export interface WebhookSpec {
  url: string;
  mode: 'sync' | 'async';
  method: 'GET' | 'POST';
  authMode: 'hmac' | 'token' | 'none';
  authTokenHeader: string | null;
  timeoutMs: number;
  /** Statuses that complete the step besides 2xx. */
  expectedStatusCodes: number[];
  bodyTemplate: 'envelope' | 'pass-through' | 'none';
  requestHeaders: Record<string, string>;
  /** Node-level `requireNonEmptyOutput`: a sync call answered with an empty body fails the step. */
  requireNonEmptyOutput: boolean;
}

/** What a webhook node runs as: its call, or why its stored config cannot run (a record from before configs were checked). */
export type WebhookPlan =
  { ok: true; spec: WebhookSpec } | { ok: false; code: 'webhook-node-deferred' | 'webhook-node-invalid-config'; message: string };

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
  webhook: WebhookPlan | null;
  /** The node's outgoing edges in definition order. */
  out: PlanEdge[];
  groupId: string | null;
  loopId: string | null;
}

/** A branch the group takes once, as a whole (an edge authored from the group; docs/g3.md). */
export interface CollectiveEdge {
  to: string;
  /** Compiled gate, evaluated on the group's verdict; null fires always. */
  when: WhenAst | null;
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
  /**
   * waitAll and cancelOnQuorum groups authored as an edge source: the branches taken once, when
   * all members ended (waitAll, by unanimity) or on quorum (cancelOnQuorum). A joinOnQuorum
   * group's branches stay on its members' edges, which its join already evaluates once.
   */
  collective: CollectiveEdge[];
  /** The loop whose body this group bounds (group-bounded body, docs/api.md, "Loop regions"), if any. */
  boundsLoopId: string | null;
}

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
  /** The contract generation the pinned version was authored in; it selects the agent semantics (docs/behaviour.md, "G3 runtime"). */
  generation: Generation;
  nodes: Map<string, PlanNode>;
  groups: Map<string, PlanGroup>;
  loops: Map<string, PlanLoop>;
  /** Nodes with no incoming edge that are not a loop's exhausted route, in definition order. */
  roots: string[];
}

export interface PlanOptions {
  /**
   * Webhook nodes call their URL (default). False replays the runs recorded before they did, in
   * which every webhook step failed at once with `webhook-node-deferred` (the workflow decides
   * with `patched()`).
   */
  liveWebhookNodes?: boolean;
}

const agentSpec = (config: AgentConfig, generation: Generation): AgentSpec => {
  const g3 = generation === 'g3';
  return {
    agentId: config.agentId,
    url: config.url ?? null,
    urlPath: config.urlPath ?? null,
    promptOverride: config.promptOverride ?? null,
    inputMapping: config.inputMapping ?? {},
    blocking: config.blocking === true,
    policy: {
      kind: config.resolutionPolicy?.kind ?? 'allResolved',
      minCount: Math.max(1, config.resolutionPolicy?.minCount ?? 1),
    },
    maxRuntimeMs: config.agentMaxRuntimeMs ?? (g3 ? G3_DEFAULT_AGENT_MAX_RUNTIME_MS : DEFAULT_AGENT_MAX_RUNTIME_MS),
    requireNonEmptyOutput: !g3 && config.requireNonEmptyOutput === true,
    crossPageExecute: config.crossPageExecute ?? (g3 ? false : null),
    maxUrlsToProcess: config.maxUrlsToProcess ?? null,
    userContextMapping: config.userContextMapping ? { ...config.userContextMapping } : null,
    pollIntervalMs: config.pollIntervalMs ?? (g3 ? DEFAULT_AGENT_POLL_INTERVAL_MS : null),
  };
};

const humanSpec = (config: CanonicalHumanConfig): HumanSpec => ({
  reviewers: config.reviewers
    ? config.reviewers.map((r) => ({ userId: r.userId, mandatory: r.mandatory }))
    : // Legacy `reviewerIds`: every entry is mandatory (G3 reading; `reviewers` needs one mandatory anyway).
      (config.reviewerIds ?? []).map((userId) => ({ userId, mandatory: true })),
  reviewerEmails: [...(config.reviewerEmails ?? [])],
  commentBody: config.commentBody ?? null,
});

/** The deferred behaviour of runs recorded before webhook nodes ran (see `PlanOptions`). */
const DEFERRED: WebhookPlan = { ok: false, code: 'webhook-node-deferred', message: 'webhook nodes are not enabled in v1' };

const webhookPlan = (node: Extract<CanonicalNode, { type: 'webhook' }>, live: boolean): WebhookPlan => {
  if (!live) return DEFERRED;
  // Validated at write time; only a record stored before webhook nodes ran can fail here.
  const config = runnableWebhookConfig(node.config);
  if (typeof config === 'string') {
    return { ok: false, code: 'webhook-node-invalid-config', message: `webhook node ${node.nodeId}: ${config}` };
  }
  return {
    ok: true,
    spec: {
      url: config.url,
      mode: config.mode ?? 'sync',
      method: config.method ?? 'POST',
      authMode: config.authMode ?? 'hmac',
      authTokenHeader: config.authTokenHeader ?? null,
      timeoutMs: config.timeoutMs ?? WEBHOOK_NODE_LIMITS.timeoutMs.default,
      expectedStatusCodes: [...(config.expectedStatusCodes ?? [])],
      bodyTemplate: config.bodyTemplate ?? 'envelope',
      requestHeaders: { ...(config.requestHeaders ?? {}) },
      requireNonEmptyOutput: node.requireNonEmptyOutput === true,
    },
  };
};

const compile = (definitionId: string, what: string, source: string): WhenAst => {
  const result = parseWhen(source);
  if (!result.ok) throw invalidArgument(`definition ${definitionId}: ${what}: ${result.message}`);
  return result.ast;
};

const planNodeOf = (node: CanonicalNode, generation: Generation, options: PlanOptions): PlanNode => ({
  nodeId: node.nodeId,
  type: node.type,
  slaMs: typeof node.slaMs === 'number' && node.slaMs > 0 ? node.slaMs : null,
  agent: node.type === 'agent' ? agentSpec(node.config, generation) : null,
  human: node.type === 'human' ? humanSpec(node.config) : null,
  webhook: node.type === 'webhook' ? webhookPlan(node, options.liveWebhookNodes ?? true) : null,
  out: [],
  groupId: null,
  loopId: null,
});

/**
 * Compiles the pinned canonical definition once per workflow (deterministic; never stored in
 * state). Roots and loop terminals are the definition model's own readings (`rootNodeIds`,
 * `loopTerminal`), so the linter and the runtime cannot disagree about them.
 */
export const buildPlan = (definition: CanonicalDefinition, options: PlanOptions = {}): Plan => {
  const id = definition.definitionId;
  const generation = generationOf(definition);
  const nodes = new Map<string, PlanNode>(definition.nodes.map((node) => [node.nodeId, planNodeOf(node, generation, options)]));
  const groupDefs = definition.groups ?? [];
  const collective = new Map<string, CollectiveEdge[]>();
  for (const edge of definition.edges) {
    const from = nodes.get(edge.from);
    if (!from || !nodes.has(edge.to)) throw invalidArgument(`definition ${id}: dangling-edge: ${edge.from} -> ${edge.to}`);
    const when = typeof edge.when === 'string' ? compile(id, `edge ${edge.from} -> ${edge.to}`, edge.when) : null;
    const owner = edge.fromGroupId === undefined ? undefined : groupDefs.find((group) => group.groupId === edge.fromGroupId);
    if (owner !== undefined && (owner.onQuorumMet ?? 'waitAll') !== 'joinOnQuorum') {
      // One branch per group, not one per member: the expansion repeats it for every member.
      const branches = collective.get(owner.groupId) ?? [];
      if (!branches.some((branch) => branch.to === edge.to && JSON.stringify(branch.when) === JSON.stringify(when))) {
        branches.push({ to: edge.to, when });
      }
      collective.set(owner.groupId, branches);
      continue;
    }
    from.out.push({ from: edge.from, to: edge.to, when });
  }
  const loops = new Map<string, PlanLoop>();
  for (const loop of definition.loops ?? []) {
    const custom = loop.onIterationReject?.when;
    loops.set(loop.loopId, {
      loopId: loop.loopId,
      entryNodeId: loop.entryNodeId,
      body: [...loop.bodyNodeIds],
      predicate: typeof custom === 'string' ? compile(id, `loop ${loop.loopId} onIterationReject.when`, custom) : DEFAULT_LOOP_PREDICATE,
      maxIterations: Math.max(1, loop.maxIterations),
      exhaustedRoute: loop.onExhausted?.routeToNodeId ?? null,
      terminal: loopTerminal(loop, definition.edges, groupDefs),
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
      collective: collective.get(group.groupId) ?? [],
      boundsLoopId: bounding?.loopId ?? null,
    });
    for (const nodeId of group.memberNodeIds) {
      const node = nodes.get(nodeId);
      if (node) node.groupId = group.groupId;
    }
  }
  return { definitionId: id, generation, nodes, groups, loops, roots: rootNodeIds(definition) };
};

/** Lookup that treats an unknown node as a programming error (state and plan disagree). */
export const planNode = (plan: Plan, nodeId: string): PlanNode => {
  const node = plan.nodes.get(nodeId);
  if (!node) throw new Error(`interpreter: node ${nodeId} is not in definition ${plan.definitionId}`);
  return node;
};
