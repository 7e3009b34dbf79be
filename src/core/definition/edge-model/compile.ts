import { compileWhen, RegexAllowance } from '../../when';
import type { CanonicalEdge } from '../canonical';
import { predecessors, reachable, successors, type Adjacency } from '../graph';
import { APPROVE_WHEN, REJECT_WHEN } from '../predicates';
import type { Edge } from '../schema/edge';
import type { Group } from '../schema/group';
import type { Loop } from '../schema/loop';
import type { Node } from '../schema/node';
import { NON_LINT_CODES, quote, violation, type Violation } from '../violation';
import {
  danglingEndpoints,
  EDGE_MODEL_CODES,
  edgeAt,
  edgeContract,
  resolveEdge,
  sameEndpoint,
  type Endpoint,
  type ResolvedEdge,
} from './resolve';

/**
 * The G3 edge model compiled into the one canonical form the interpreter runs (docs/g3.md):
 * forward edges with canonical `when`s (group endpoints expanded per member) and loop regions
 * derived from marked reject back-edges, with their exhausted routes.
 */
export interface CompiledEdgeModel {
  edges: CanonicalEdge[];
  loops: Loop[];
  /** Human-reject coverage: nodes with an own or group-source `on: "reject"` edge. */
  rejectSources: string[];
  /** Nodes whose back-edges or exhausted routes leave them (not in `edges`); the breach rule counts them. */
  routeOnlySources: string[];
}

export interface EdgeModelInput {
  nodes: readonly Node[];
  edges: readonly Edge[];
  groups?: readonly Group[] | null | undefined;
}

/** The loop id derived from a back-edge (docs/g3.md): `reject_<from>__to__<to>`, a group source as `group_<groupId>`. */
export const derivedLoopId = (from: Endpoint, entryNodeId: string): string =>
  `reject_${from.kind === 'group' ? `group_${from.id}` : from.id}__to__${entryNodeId}`;

const predicateOf = (edge: ResolvedEdge, canonicalWhen: string | null): string | null => {
  switch (edge.role) {
    case 'approve':
      return APPROVE_WHEN;
    case 'reject':
      return REJECT_WHEN;
    case 'custom':
      return canonicalWhen;
    case 'always':
    case 'exhausted':
      return null;
  }
};

class Graph {
  readonly declared: Set<string>;
  readonly groups = new Map<string, Group>();

  constructor(
    readonly order: readonly string[],
    groups: readonly Group[],
  ) {
    this.declared = new Set(order);
    // The first declaration of a duplicated group id wins; the linter reports the duplicate.
    for (const group of groups) if (!this.groups.has(group.groupId)) this.groups.set(group.groupId, group);
  }

  /** The nodes an endpoint stands for: the node, or the group's declared members. */
  nodesOf(endpoint: Endpoint): string[] {
    if (endpoint.kind === 'node') return [endpoint.id];
    return [...new Set(this.groups.get(endpoint.id)?.memberNodeIds ?? [])].filter((id) => this.declared.has(id));
  }
}

const isRoute = (edge: ResolvedEdge): boolean => edge.loop !== undefined || edge.role === 'exhausted';

/** Forward edges, one per (member) pair, in authored order. */
const expand = (graph: Graph, edge: ResolvedEdge, when: string | null): CanonicalEdge[] =>
  graph.nodesOf(edge.from).flatMap((from) =>
    graph.nodesOf(edge.to).map((to): CanonicalEdge => ({
      from,
      to,
      when,
      role: edge.role,
      ...(edge.from.kind === 'group' ? { fromGroupId: edge.from.id } : {}),
      ...(edge.to.kind === 'group' ? { toGroupId: edge.to.id } : {}),
    })),
  );

/** True when some target reaches some source along forward edges (or is one): the edge closes a cycle. */
const closesCycle = (targets: readonly string[], sources: readonly string[], forward: Adjacency): boolean => {
  const seen = reachable(targets, forward);
  return sources.some((id) => seen.has(id));
};

/** Stage 1: each edge on its own (endpoints, role, `when`, `loop`), then its `when` compiled. */
const checkEdges = (
  graph: Graph,
  edges: readonly Edge[],
  violations: Violation[],
): { accepted: ResolvedEdge[]; whens: Map<ResolvedEdge, string | null> } => {
  const regexes = new RegexAllowance();
  const accepted: ResolvedEdge[] = [];
  const whens = new Map<ResolvedEdge, string | null>();
  edges.forEach((authored, index) => {
    const edge = resolveEdge(authored, index);
    const found = [...danglingEndpoints(edge, graph.declared, graph.groups), ...edgeContract(edge, authored.on, graph.groups)];
    if (found.length > 0) {
      violations.push(...found);
      return;
    }
    let canonical: string | null = null;
    if (edge.role === 'custom' && edge.when !== null) {
      const compiled = compileWhen(edge.when, regexes);
      if (!compiled.ok) {
        violations.push({ code: NON_LINT_CODES.when, message: `data.edges[${index}].when: ${compiled.message}` });
        return;
      }
      canonical = compiled.canonical;
    }
    accepted.push(edge);
    whens.set(edge, predicateOf(edge, canonical));
  });
  return { accepted, whens };
};

/** Stage 2: what needs the whole forward graph (back-edges, cycles, exhausted siblings), and the loop regions. */
const deriveLoops = (graph: Graph, accepted: readonly ResolvedEdge[], edges: readonly CanonicalEdge[], violations: Violation[]): Loop[] => {
  const forward = successors(graph.order, edges);
  const backward = predecessors(graph.order, edges);
  const loops: Loop[] = [];
  const loopEdges: ResolvedEdge[] = [];
  for (const edge of accepted) {
    const sources = graph.nodesOf(edge.from);
    const targets = graph.nodesOf(edge.to);
    if (edge.role === 'reject' && edge.loop === undefined && closesCycle(targets, sources, forward)) {
      violations.push(
        violation(
          EDGE_MODEL_CODES.rejectCycleRequiresLoop,
          `${edgeAt(edge)}: an on="reject" edge to an ancestor needs "loop": { "maxIterations": n } to mark it as a loop-back`,
        ),
      );
    }
    if (edge.loop === undefined || edge.role !== 'reject') continue;
    const entry = edge.to.id;
    if (sources.includes(entry) || !closesCycle([entry], sources, forward)) {
      const why = !sources.includes(entry)
        ? `no forward path leads from ${quote(entry)} to it`
        : edge.from.kind === 'group'
          ? `${quote(entry)} is a member of the source group`
          : 'a node is not its own ancestor';
      violations.push(
        violation(
          EDGE_MODEL_CODES.loopRequiresBackEdge,
          `${edgeAt(edge)}.to: a loop-back must point to an ancestor of its source (${why})`,
        ),
      );
      continue;
    }
    const fromEntry = reachable([entry], forward);
    const toSources = reachable(sources, backward);
    loops.push({
      loopId: derivedLoopId(edge.from, entry),
      entryNodeId: entry,
      bodyNodeIds: graph.order.filter((id, i) => graph.order.indexOf(id) === i && fromEntry.has(id) && toSources.has(id)),
      maxIterations: edge.loop.maxIterations,
    });
    loopEdges.push(edge);
  }
  for (const edge of accepted.filter((candidate) => candidate.role === 'exhausted')) {
    const sibling = loopEdges.findIndex((loopEdge) => sameEndpoint(loopEdge.from, edge.from));
    const loop = loops[sibling];
    if (loop === undefined) {
      violations.push(
        violation(
          EDGE_MODEL_CODES.exhaustedRequiresLoopSibling,
          `${edgeAt(edge)}: an on="exhausted" edge needs a sibling on="reject" loop-back (with "loop") from the same source`,
        ),
      );
      continue;
    }
    if (loop.onExhausted !== undefined) {
      violations.push(
        violation(
          EDGE_MODEL_CODES.exhaustedDuplicate,
          `${edgeAt(edge)}: loop ${quote(loop.loopId)} already routes its exhaustion to ${quote(loop.onExhausted.routeToNodeId ?? '')}; a loop has one on="exhausted" edge`,
        ),
      );
      continue;
    }
    loop.onExhausted = { routeToNodeId: edge.to.id };
  }
  return loops;
};

/**
 * Compiles a G3 edge list. Every violation found is returned; the result is only meaningful
 * when there are none.
 */
export const compileEdgeModel = (input: EdgeModelInput): { result: CompiledEdgeModel; violations: Violation[] } => {
  const violations: Violation[] = [];
  const graph = new Graph(
    input.nodes.map((node) => node.nodeId),
    input.groups ?? [],
  );
  const { accepted, whens } = checkEdges(graph, input.edges, violations);
  const edges = accepted.filter((edge) => !isRoute(edge)).flatMap((edge) => expand(graph, edge, whens.get(edge) ?? null));
  const loops = deriveLoops(graph, accepted, edges, violations);
  const rejectSources = [...new Set(accepted.filter((edge) => edge.role === 'reject').flatMap((edge) => graph.nodesOf(edge.from)))];
  const routeOnlySources = [...new Set(accepted.filter(isRoute).flatMap((edge) => graph.nodesOf(edge.from)))];
  return { result: { edges, loops, rejectSources, routeOnlySources }, violations };
};
