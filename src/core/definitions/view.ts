import type { CanonicalDefinition } from './canonical';

export interface StoredDefinitionLike {
  definitionId: string;
  version: number;
  status: 'active' | 'tombstoned';
  createdAt: number;
  updatedAt: number;
  content: CanonicalDefinition;
}

/** The DefinitionView of spec §2.1 with decisions §3 (loops returned, null for unset fields). */
export const toDefinitionView = (record: StoredDefinitionLike) => {
  const { content } = record;
  return {
    definitionId: record.definitionId,
    name: content.name,
    description: content.description,
    version: record.version,
    scope: content.scope,
    nodes: content.nodes,
    edges: content.edges,
    groups: content.groups,
    loops: content.loops,
    triggers: content.triggers,
    tags: content.tags,
    custom: content.custom,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    status: record.status,
  };
};
