import type { AuthoredOnReject, CanonicalEdge } from './canonical';
import type { CompiledWhens } from './compile-whens';
import { predecessors, reachable, successors } from './graph';
import { MANDATORY_REJECT_WHEN, REJECT_WHEN, REJECT_WHEN_SWAPPED } from './predicates';
import { DEFAULT_LOOP_BACK_MAX_ITERATIONS } from './schema/limits';
import type { Loop } from './schema/loop';
import type { Node } from './schema/node';
import type { LoopBack } from './schema/on-reject';
import { NON_LINT_CODES, quote, violation, type Violation } from './violation';

export interface Desugared {
  /** `onReject` removed; `config` may still be missing (the linter reports it). */
  nodes: Node[];
  edges: CanonicalEdge[];
  loops: Loop[];
  authoredOnReject: AuthoredOnReject[];
}

export const synthesizedLoopId = (nodeId: string): string => `auto_${nodeId}_loopback`;

interface Shorthand {
  nodeId: string;
  index: number;
  routeToNodeId?: string | undefined;
  loopBack?: LoopBack | undefined;
}

const shorthandsOf = (nodes: readonly Node[]): Shorthand[] =>
  nodes.flatMap((node, index) =>
    node.type === 'human' && node.config?.onReject
      ? [{ nodeId: node.nodeId, index, routeToNodeId: node.config.onReject.routeToNodeId, loopBack: node.config.onReject.loopBack }]
      : [],
  );

const stripOnReject = (node: Node): Node => {
  if (node.type !== 'human' || !node.config?.onReject) return node;
  const { onReject: _onReject, ...config } = node.config;
  return { ...node, config };
};

const edgeText = (edge: CanonicalEdge, index: number): string => `edges[${index}] ${edge.from} -> ${edge.to}`;

/** Form A (docs/api.md, "onReject shorthand"): a reject-gated edge from the node to `routeToNodeId`. */
const synthesizeEdges = (
  shorthands: readonly Shorthand[],
  declared: ReadonlySet<string>,
  authored: readonly CanonicalEdge[],
  violations: Violation[],
): CanonicalEdge[] =>
  shorthands.flatMap(({ nodeId, index, routeToNodeId }) => {
    if (routeToNodeId === undefined) return [];
    const path = `data.nodes[${index}].config.onReject.routeToNodeId`;
    if (!declared.has(routeToNodeId)) {
      violations.push(violation(NON_LINT_CODES.rejectTargetNotFound, `${path}: ${quote(routeToNodeId)} is not a declared node`));
      return [];
    }
    const found: Violation[] = [];
    const duplicate = authored.findIndex(
      (edge) => edge.from === nodeId && edge.to === routeToNodeId && (edge.when === REJECT_WHEN || edge.when === REJECT_WHEN_SWAPPED),
    );
    if (duplicate >= 0) {
      found.push(
        violation(
          NON_LINT_CODES.rejectDuplicateEdge,
          `${path}: the synthesized reject edge ${nodeId} -> ${routeToNodeId} duplicates ${edgeText(authored[duplicate] as CanonicalEdge, duplicate)}; remove one of them`,
        ),
      );
    }
    const unconditional = authored.findIndex((edge) => edge.from === nodeId && edge.when === null);
    if (unconditional >= 0) {
      found.push(
        violation(
          NON_LINT_CODES.rejectUnconditionalEdge,
          `${path}: ${quote(nodeId)} also has the unconditional ${edgeText(authored[unconditional] as CanonicalEdge, unconditional)}, which would fire on reject too; gate it (e.g. on output.decision == "approve")`,
        ),
      );
    }
    violations.push(...found);
    return found.length === 0 ? [{ from: nodeId, to: routeToNodeId, when: REJECT_WHEN }] : [];
  });

/** Form B: a loop whose body is every node on a path from `toNodeId` to the node. */
const synthesizeLoops = (
  shorthands: readonly Shorthand[],
  nodes: readonly Node[],
  edges: readonly CanonicalEdge[],
  authoredLoops: readonly Loop[],
  violations: Violation[],
): Loop[] => {
  const order = nodes.map((node) => node.nodeId);
  const declared = new Set(order);
  const forward = successors(order, edges);
  const backward = predecessors(order, edges);
  const loops: Loop[] = [...authoredLoops];
  const synthesized: Loop[] = [];
  for (const { nodeId, index, loopBack } of shorthands) {
    if (loopBack === undefined) continue;
    const path = `data.nodes[${index}].config.onReject.loopBack`;
    const found: Violation[] = [];
    const exhaustedRoute = loopBack.onExhausted?.routeToNodeId;
    for (const [field, target] of [
      ['toNodeId', loopBack.toNodeId],
      ['onExhausted.routeToNodeId', exhaustedRoute],
    ] as const) {
      if (target !== undefined && !declared.has(target)) {
        found.push(violation(NON_LINT_CODES.rejectTargetNotFound, `${path}.${field}: ${quote(target)} is not a declared node`));
      }
    }
    if (loopBack.toNodeId === nodeId) {
      found.push(violation(NON_LINT_CODES.rejectLoopToSelf, `${path}.toNodeId: a node cannot loop back to itself (${quote(nodeId)})`));
    }
    if (found.length > 0) {
      violations.push(...found);
      continue;
    }
    const from = reachable([loopBack.toNodeId], forward);
    const to = reachable([nodeId], backward);
    const body = order.filter((id, i) => order.indexOf(id) === i && from.has(id) && to.has(id));
    if (body.length === 0) {
      violations.push(
        violation(
          NON_LINT_CODES.rejectEmptyBody,
          `${path}.toNodeId: no path from ${quote(loopBack.toNodeId)} to ${quote(nodeId)} along edges, so the loop body would be empty`,
        ),
      );
      continue;
    }
    for (const other of loops) {
      if (other.bodyNodeIds.includes(nodeId)) {
        found.push(
          violation(NON_LINT_CODES.rejectLoopOverlap, `${path}: ${quote(nodeId)} is already in the body of loop ${quote(other.loopId)}`),
        );
        continue;
      }
      const shared = body.filter((id) => other.bodyNodeIds.includes(id));
      if (shared.length > 0) {
        found.push(
          violation(
            NON_LINT_CODES.rejectLoopOverlap,
            `${path}: the inferred body [${body.join(', ')}] overlaps loop ${quote(other.loopId)} on ${shared.join(', ')}`,
          ),
        );
      }
    }
    if (found.length > 0) {
      violations.push(...found);
      continue;
    }
    const loop: Loop = {
      loopId: synthesizedLoopId(nodeId),
      entryNodeId: loopBack.toNodeId,
      bodyNodeIds: body,
      onIterationReject: { when: loopBack.when ?? MANDATORY_REJECT_WHEN },
      ...(exhaustedRoute !== undefined ? { onExhausted: { routeToNodeId: exhaustedRoute } } : {}),
      maxIterations: loopBack.maxIterations ?? DEFAULT_LOOP_BACK_MAX_ITERATIONS,
    };
    loops.push(loop);
    synthesized.push(loop);
  }
  return synthesized;
};

/**
 * Stage 3: `onReject` shorthands become edges (Form A) and loops (Form B), appended after the
 * authored ones in node order. Form A runs first, so a Form B body may run along a synthesized
 * reject edge.
 */
export const desugar = (compiled: CompiledWhens): { result: Desugared; violations: Violation[] } => {
  const violations: Violation[] = [];
  const shorthands = shorthandsOf(compiled.nodes);
  const declared = new Set(compiled.nodes.map((node) => node.nodeId));
  const edges = [...compiled.edges, ...synthesizeEdges(shorthands, declared, compiled.edges, violations)];
  const loops = [...compiled.loops, ...synthesizeLoops(shorthands, compiled.nodes, edges, compiled.loops, violations)];
  const authoredOnReject = compiled.nodes.flatMap((node): AuthoredOnReject[] =>
    node.type === 'human' && node.config?.onReject ? [{ nodeId: node.nodeId, onReject: node.config.onReject }] : [],
  );
  return { result: { nodes: compiled.nodes.map(stripOnReject), edges, loops, authoredOnReject }, violations };
};
