import { parseWhen } from '../when';
import { generationOf, type AuthoredOnReject, type CanonicalDefinition, type CanonicalEdge, type Generation } from './canonical';
import { synthesizedLoopId } from './desugar';
import { syntaxOf } from './generation';
import { REJECT_WHEN } from './predicates';
import type { CreateDefinitionInput, UpdateDefinitionInput } from './schema/definition';
import type { Edge } from './schema/edge';
import type { Loop } from './schema/loop';
import type { Node } from './schema/node';
import type { Scope } from './schema/scope';
import { validateDefinition, type ValidationMode, type ValidationResult } from './validate';

const canonicalWhen = (when: string | null | undefined): string | null => {
  if (when === undefined || when === null) return null;
  // Structure only: an update's edges are compared before validation, so no pattern is compiled here.
  const compiled = parseWhen(when);
  return compiled.ok ? compiled.canonical : when;
};

const sameEdge = (a: Pick<Edge, 'from' | 'to' | 'when'>, b: Pick<CanonicalEdge, 'from' | 'to' | 'when'>): boolean =>
  a.from === b.from && a.to === b.to && canonicalWhen(a.when) === b.when;

const sameLoop = (a: Loop, b: Loop): boolean =>
  a.loopId === b.loopId &&
  a.entryNodeId === b.entryNodeId &&
  a.maxIterations === b.maxIterations &&
  a.bodyNodeIds.length === b.bodyNodeIds.length &&
  a.bodyNodeIds.every((id, i) => b.bodyNodeIds[i] === id) &&
  (a.onExhausted?.routeToNodeId ?? null) === (b.onExhausted?.routeToNodeId ?? null) &&
  canonicalWhen(a.onIterationReject?.when) === canonicalWhen(b.onIterationReject?.when);

/** Removes the last element matching `matches` (synthesized items sit after the authored ones). */
const withoutLast = <T>(items: readonly T[], matches: (item: T) => boolean): [T[], T | undefined] => {
  for (let i = items.length - 1; i >= 0; i -= 1) {
    if (matches(items[i] as T)) return [[...items.slice(0, i), ...items.slice(i + 1)], items[i]];
  }
  return [[...items], undefined];
};

interface AuthoredForm {
  nodes: Node[];
  edges: Edge[];
  /** The author's own `loops`, null when they sent none. */
  loops: Loop[] | null;
  synthesizedEdges: CanonicalEdge[];
  synthesizedLoops: Loop[];
}

/** A G3 definition keeps its authored edges; its loops are derived from them, never authored. */
const authoredG3Form = (stored: CanonicalDefinition): AuthoredForm => ({
  nodes: stored.nodes as Node[],
  edges: structuredClone(stored.authoredEdges ?? []),
  loops: null,
  synthesizedEdges: [],
  synthesizedLoops: [],
});

/** Undoes desugaring: `onReject` back on its node, synthesized edges and loops set aside. */
const authoredForm = (stored: CanonicalDefinition): AuthoredForm => {
  if (generationOf(stored) === 'g3') return authoredG3Form(stored);
  // Records written before provenance was kept have none: nothing to re-sugar.
  const shorthands: readonly AuthoredOnReject[] = stored.authoredOnReject ?? [];
  let edges = [...stored.edges];
  let loops = [...(stored.loops ?? [])];
  const synthesizedEdges: CanonicalEdge[] = [];
  const synthesizedLoops: Loop[] = [];
  for (const { nodeId, onReject } of shorthands) {
    if (onReject.routeToNodeId !== undefined) {
      const synthesized = { from: nodeId, to: onReject.routeToNodeId, when: REJECT_WHEN };
      const [rest, removed] = withoutLast(edges, (edge) => sameEdge(edge, synthesized));
      edges = rest;
      if (removed) synthesizedEdges.push(removed);
    }
    if (onReject.loopBack !== undefined) {
      const [rest, removed] = withoutLast(loops, (loop) => loop.loopId === synthesizedLoopId(nodeId));
      loops = rest;
      if (removed) synthesizedLoops.push(removed);
    }
  }
  const byNode = new Map(shorthands.map((entry) => [entry.nodeId, entry.onReject]));
  const nodes = stored.nodes.map((node): Node => {
    const onReject = byNode.get(node.nodeId);
    // A webhook node stored before its config was checked goes back as it was, and is checked with the update.
    return node.type === 'human' && onReject ? { ...node, config: { ...node.config, onReject } } : (node as Node);
  });
  // With no loops of its own, the author's stored `loops` was unset unless it was an explicit [].
  const authoredLoops = loops.length === 0 && (stored.loops === null || synthesizedLoops.length > 0) ? null : loops;
  return { nodes, edges, loops: authoredLoops, synthesizedEdges, synthesizedLoops };
};

const storedScope = (stored: CanonicalDefinition): Scope => ({
  level: stored.scope.level,
  ...(stored.scope.organizationId !== null ? { organizationId: stored.scope.organizationId } : {}),
  ...(stored.scope.documentId !== null ? { documentId: stored.scope.documentId } : {}),
});

const mergeScope = (
  stored: CanonicalDefinition,
  update: UpdateDefinitionInput,
): Pick<CreateDefinitionInput, 'scope' | 'organizationId' | 'documentId'> => {
  if (update.scope !== undefined) {
    return { scope: update.scope, organizationId: update.organizationId, documentId: update.documentId };
  }
  // Top-level ids without a `scope` edit the stored scope's ids (null clears one).
  const scope: Scope = { ...storedScope(stored) };
  if (update.organizationId !== undefined) scope.organizationId = update.organizationId;
  if (update.documentId !== undefined) scope.documentId = update.documentId;
  return { scope };
};

type NodeInput = NonNullable<UpdateDefinitionInput['nodes']>[number];

/** A sent human node without `onReject` keeps its stored shorthand, unless an authored loop now covers it. */
const inheritShorthands = (
  nodes: readonly NodeInput[],
  stored: CanonicalDefinition,
  loops: readonly Pick<Loop, 'bodyNodeIds'>[] | null | undefined,
): NodeInput[] => {
  const shorthands = new Map((stored.authoredOnReject ?? []).map((entry) => [entry.nodeId, entry.onReject]));
  const looped = new Set((loops ?? []).flatMap((loop) => loop.bodyNodeIds));
  return nodes.map((node): NodeInput => {
    const onReject = shorthands.get(node.nodeId);
    if (node.type !== 'human' || !node.config || node.config.onReject || !onReject || looped.has(node.nodeId)) return node;
    return { ...node, config: { ...node.config, onReject } };
  });
};

/**
 * The generation an update body is written in (docs/g3.md, "Updates"): what its own syntax says,
 * or, when it says nothing (a rename, plain edges), the stored definition's.
 */
const bodyGeneration = (stored: CanonicalDefinition, update: UpdateDefinitionInput): Generation => {
  const syntax = syntaxOf(update);
  if (syntax.g3) return 'g3';
  return syntax.g2 ? 'g2' : generationOf(stored);
};

/** A G3 body that carries `name`, `nodes` and `edges` replaces the definition: what it omits is removed. */
export const isFullReplace = (stored: CanonicalDefinition, update: UpdateDefinitionInput): boolean =>
  update.name !== undefined && update.nodes !== undefined && update.edges !== undefined && bodyGeneration(stored, update) === 'g3';

/**
 * Update (docs/behaviour.md, "Definition validation"; docs/g3.md for G3). A G3 body with `name`, `nodes` and `edges` is a full
 * replace. Anything else is a partial merge that works on the *authored* form, then the result
 * is validated (and desugared or compiled) afresh exactly like a create:
 * - the stored definition is un-desugared: each human node gets its `onReject` back, and the
 *   edges and loops it synthesized are set aside (they are regenerated, so a rename keeps them and
 *   new `edges` re-infer `loopBack` bodies); a G3 definition offers its authored edges;
 * - fields the update carries replace their stored value, omitted ones are kept, null clears an
 *   optional field; top-level `organizationId`/`documentId` without `scope` edit the stored scope;
 * - because the G2 view strips `onReject` and shows synthesized items, sending the view back must be
 *   a no-op: sent edges and loops equal to ones the stored version synthesized are dropped as
 *   echoes, and a sent human node without `onReject` keeps its stored shorthand, unless an authored
 *   loop of the merged definition covers it (that is how a shorthand is replaced by a loop). A sent
 *   node with its own `onReject` replaces the stored one.
 */
export const mergeDefinitionUpdate = (stored: CanonicalDefinition, update: UpdateDefinitionInput): CreateDefinitionInput => {
  if (isFullReplace(stored, update)) {
    const { ifVersion: _ifVersion, ...replacement } = update;
    return {
      ...replacement,
      definitionId: stored.definitionId,
      name: update.name ?? stored.name,
      nodes: update.nodes ?? [],
      edges: update.edges ?? [],
    };
  }
  const authored = authoredForm(stored);
  const isEchoEdge = (edge: Edge): boolean => authored.synthesizedEdges.some((synthesized) => sameEdge(edge, synthesized));
  const isEchoLoop = (loop: Loop): boolean => authored.synthesizedLoops.some((synthesized) => sameLoop(loop, synthesized));
  const edges = update.edges === undefined ? authored.edges : update.edges.filter((edge) => !isEchoEdge(edge));
  const loops = update.loops === undefined ? authored.loops : (update.loops?.filter((loop) => !isEchoLoop(loop)) ?? null);
  const nodes = update.nodes === undefined ? authored.nodes : inheritShorthands(update.nodes, stored, loops);
  const pick = <K extends 'description' | 'groups' | 'triggers' | 'tags' | 'custom'>(key: K) =>
    update[key] === undefined ? stored[key] : update[key];
  return {
    definitionId: stored.definitionId,
    name: update.name ?? stored.name,
    description: pick('description'),
    ...mergeScope(stored, update),
    nodes,
    edges,
    groups: pick('groups'),
    loops,
    triggers: pick('triggers'),
    tags: pick('tags'),
    custom: pick('custom'),
  };
};

/** Merge then validate, as the update endpoint needs it. */
export const applyDefinitionUpdate = (
  stored: CanonicalDefinition,
  update: UpdateDefinitionInput,
  mode: ValidationMode = 'strict',
): ValidationResult => validateDefinition(mergeDefinitionUpdate(stored, update), mode);
