import type { CanonicalEdge, CanonicalNode, DefinitionStatus, StoredDefinition } from './canonical';
import type { Group } from './schema/group';
import type { Loop } from './schema/loop';
import type { CanonicalScope } from './schema/scope';
import type { Trigger } from './schema/trigger';

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

export const toDefinitionView = (stored: StoredDefinition): DefinitionView => ({
  definitionId: stored.definitionId,
  name: stored.name,
  description: stored.description ?? null,
  version: stored.version,
  scope: {
    level: stored.scope.level,
    organizationId: stored.scope.organizationId ?? null,
    documentId: stored.scope.documentId ?? null,
  },
  nodes: stored.nodes.map(nodeView),
  edges: stored.edges.map((edge) => ({ from: edge.from, to: edge.to, when: edge.when ?? null })),
  groups: stored.groups ?? null,
  loops: stored.loops ?? null,
  triggers: stored.triggers ?? null,
  tags: stored.tags ?? null,
  custom: stored.custom ?? null,
  createdAt: stored.createdAt,
  updatedAt: stored.updatedAt,
  status: stored.status,
});
