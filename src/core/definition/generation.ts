import type { Generation } from './canonical';
import type { Edge, LegacyEdge } from './schema/edge';
import type { Loop } from './schema/loop';
import type { Node } from './schema/node';
import { type Violation } from './violation';

/*
 * A definition's generation is read from its syntax (docs/g3.md, "Two generations"): G3 when any
 * edge carries `on` or `loop` or an object endpoint, G2 otherwise. The two loop syntaxes never mix.
 */

export const MIXED_EDGE_MODEL_MESSAGE = 'definition mixes the edge model (on/loop) with onReject/loops; use one';

/** The fields that tell an edge's syntax, read from a body before (or after) it is validated. */
interface EdgeSyntax {
  from: unknown;
  to: unknown;
  on?: unknown;
  loop?: unknown;
}

const isObjectEndpoint = (endpoint: unknown): boolean => typeof endpoint === 'object' && endpoint !== null;

export const isG3Edge = (edge: EdgeSyntax): boolean =>
  edge.on !== undefined || edge.loop !== undefined || isObjectEndpoint(edge.from) || isObjectEndpoint(edge.to);

interface Body {
  nodes?: readonly { type: string; config?: unknown }[] | undefined;
  edges?: readonly EdgeSyntax[] | undefined;
  loops?: readonly unknown[] | null | undefined;
}

const hasOnReject = (nodes: Body['nodes']): boolean =>
  (nodes ?? []).some(
    (node) =>
      node.type === 'human' &&
      typeof node.config === 'object' &&
      node.config !== null &&
      (node.config as { onReject?: unknown }).onReject !== undefined,
  );

/** What the syntax of a (possibly partial) body says: each model's markers, independently. */
export const syntaxOf = (body: Body): { g3: boolean; g2: boolean } => ({
  g3: (body.edges ?? []).some(isG3Edge),
  g2: hasOnReject(body.nodes) || (body.loops ?? []).length > 0,
});

/** The generation of a whole definition; the caller refuses a mixed one first. */
export const generationFromSyntax = (body: Body): Generation => (syntaxOf(body).g3 ? 'g3' : 'g2');

export const mixedEdgeModel = (): Violation => ({ code: 'mixed-edge-model', message: MIXED_EDGE_MODEL_MESSAGE });

/** A parsed definition, split by generation so each pipeline reads its own edge type. */
export type ByGeneration<T> =
  | { generation: 'g2'; input: T & { edges: LegacyEdge[]; nodes: Node[]; loops?: Loop[] | null | undefined } }
  | { generation: 'g3'; input: T & { edges: Edge[]; nodes: Node[] } };

/** Narrows a parsed body: a G2 definition has only node-id endpoints (anything else makes it G3). */
export const byGeneration = <T extends { edges: Edge[]; nodes: Node[] }>(input: T): ByGeneration<T> =>
  generationFromSyntax(input) === 'g3' ? { generation: 'g3', input } : { generation: 'g2', input: input as T & { edges: LegacyEdge[] } };
