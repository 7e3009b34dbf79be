import type { CanonicalEdge, CanonicalNode } from './canonical';
import { compiledGraph, type CompiledGraph } from './compiled-view';
import type { Edge } from './schema/edge';
import type { Group } from './schema/group';
import type { Loop } from './schema/loop';
import type { CanonicalScope } from './schema/scope';
import type { Trigger } from './schema/trigger';
import type { DefinitionStatus, StoredDefinition } from './stored';

interface ViewCommon {
  definitionId: string;
  name: string;
  description: string | null;
  version: number;
  scope: CanonicalScope;
  nodes: CanonicalNode[];
  groups: Group[] | null;
  /** Read-only; never accepted as input (docs/g3.md, "The compiled view"). */
  compiled: CompiledGraph;
  triggers: Trigger[] | null;
  tags: string[] | null;
  custom: Record<string, unknown> | null;
  createdAt: number;
  updatedAt: number;
  status: DefinitionStatus;
}

/** The seeds' view (docs/behaviour.md, "Definition validation"): the canonical edges, `loops` included, unset optionals are null. */
export type G2DefinitionView = ViewCommon & { edges: CanonicalEdge[]; loops: Loop[] | null };
/** A G3 definition's view (docs/g3.md): the authored edges as sent, and no `loops` key (loop-backs are edges). */
export type G3DefinitionView = ViewCommon & { edges: Edge[]; loops?: never };
export type DefinitionView = G2DefinitionView | G3DefinitionView;

/** Echo what was stored, with `blocking: false` resolved on agents and never an `onReject`. */
const nodeView = (node: CanonicalNode): CanonicalNode => {
  switch (node.type) {
    case 'agent':
      return { ...node, config: { ...node.config, blocking: node.config.blocking ?? false } };
    case 'human': {
      const { onReject: _onReject, ...config } = node.config as typeof node.config & { onReject?: unknown };
      return { ...node, config };
    }
    case 'webhook':
      return { ...node, config: { ...node.config } };
    case 'notification':
      return { ...node, config: { ...node.config } };
  }
};

export const toDefinitionView = ({ content, version, status, createdAt, updatedAt }: StoredDefinition): DefinitionView => {
  const head = {
    definitionId: content.definitionId,
    name: content.name,
    description: content.description ?? null,
    version,
    scope: {
      level: content.scope.level,
      organizationId: content.scope.organizationId ?? null,
      documentId: content.scope.documentId ?? null,
    },
    nodes: content.nodes.map(nodeView),
  };
  const tail = {
    triggers: content.triggers ?? null,
    tags: content.tags ?? null,
    custom: content.custom ?? null,
    createdAt,
    updatedAt,
    status,
  };
  const groups = content.groups ?? null;
  const compiled = compiledGraph(content);
  if (content.generation === 'g3') {
    return { ...head, edges: structuredClone(content.authoredEdges ?? []), groups, compiled, ...tail };
  }
  return {
    ...head,
    edges: content.edges.map((edge) => ({ from: edge.from, to: edge.to, when: edge.when ?? null })),
    groups,
    loops: content.loops ?? null,
    compiled,
    ...tail,
  };
};
