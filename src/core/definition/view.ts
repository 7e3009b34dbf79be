import type { CanonicalEdge, CanonicalNode } from './canonical';
import type { Group } from './schema/group';
import type { Loop } from './schema/loop';
import type { CanonicalScope } from './schema/scope';
import type { Trigger } from './schema/trigger';
import type { DefinitionStatus, StoredDefinition } from './stored';

/** Spec §2.1 as amended by decisions §3: `loops` included, unset optionals are null. */
export interface DefinitionView {
  definitionId: string;
  name: string;
  description: string | null;
  version: number;
  scope: CanonicalScope;
  nodes: CanonicalNode[];
  edges: CanonicalEdge[];
  groups: Group[] | null;
  loops: Loop[] | null;
  triggers: Trigger[] | null;
  tags: string[] | null;
  custom: Record<string, unknown> | null;
  createdAt: number;
  updatedAt: number;
  status: DefinitionStatus;
}

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
  }
};

export const toDefinitionView = ({ content, version, status, createdAt, updatedAt }: StoredDefinition): DefinitionView => ({
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
  edges: content.edges.map((edge) => ({ from: edge.from, to: edge.to, when: edge.when ?? null })),
  groups: content.groups ?? null,
  loops: content.loops ?? null,
  triggers: content.triggers ?? null,
  tags: content.tags ?? null,
  custom: content.custom ?? null,
  createdAt,
  updatedAt,
  status,
});
