import { parseWhen, type WhenAst } from '../when';
import { generationOf, type CanonicalDefinition, type CanonicalEdge, type Generation } from './canonical';
import { APPROVE_WHEN, APPROVE_WHEN_SWAPPED, REJECT_WHEN, REJECT_WHEN_SWAPPED } from './predicates';
import type { EdgeRole } from './schema/edge';

export interface CompiledForwardEdge {
  from: string;
  to: string;
  role: EdgeRole;
  when: WhenAst | null;
  fromGroupId?: string;
  toGroupId?: string;
}

export interface CompiledLoopRegion {
  loopId: string;
  entryNodeId: string;
  bodyNodeIds: string[];
  maxIterations: number;
  onExhausted: { routeToNodeId: string } | null;
}

/** The read-only `compiled` block of every view (docs/g3.md, "The compiled view"): what the runtime drives. */
export interface CompiledGraph {
  generation: Generation;
  forwardEdges: CompiledForwardEdge[];
  loops: CompiledLoopRegion[];
}

/** A G2 edge has no authored role: it is read from its gate. */
const inferredRole = (when: string | null): EdgeRole => {
  if (when === null) return 'always';
  if (when === APPROVE_WHEN || when === APPROVE_WHEN_SWAPPED) return 'approve';
  if (when === REJECT_WHEN || when === REJECT_WHEN_SWAPPED) return 'reject';
  return 'custom';
};

const astOf = (when: string | null): WhenAst | null => {
  if (when === null) return null;
  const parsed = parseWhen(when);
  // Stored gates are canonical JSON and always parse; a record that does not is shown as it is.
  return parsed.ok ? parsed.ast : when;
};

const forwardEdge = (edge: CanonicalEdge): CompiledForwardEdge => ({
  from: edge.from,
  to: edge.to,
  role: edge.role ?? inferredRole(edge.when),
  when: astOf(edge.when),
  ...(edge.fromGroupId !== undefined ? { fromGroupId: edge.fromGroupId } : {}),
  ...(edge.toGroupId !== undefined ? { toGroupId: edge.toGroupId } : {}),
});

export const compiledGraph = (content: CanonicalDefinition): CompiledGraph => ({
  generation: generationOf(content),
  forwardEdges: content.edges.map(forwardEdge),
  loops: (content.loops ?? []).map((loop) => ({
    loopId: loop.loopId,
    entryNodeId: loop.entryNodeId,
    bodyNodeIds: [...loop.bodyNodeIds],
    maxIterations: loop.maxIterations,
    onExhausted: loop.onExhausted?.routeToNodeId !== undefined ? { routeToNodeId: loop.onExhausted.routeToNodeId } : null,
  })),
});
