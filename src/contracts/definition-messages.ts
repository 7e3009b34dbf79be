import { defineQuery, defineUpdate } from '@temporalio/workflow';

import type { CanonicalDefinition } from '../core/definition';

/** The canonical (validated, desugared) definition content as stored; produced by src/core/definitions. */
export type DefinitionContent = CanonicalDefinition;

export interface DefinitionRecord {
  definitionId: string;
  version: number;
  status: 'active' | 'tombstoned';
  createdAt: number;
  updatedAt: number;
  content: DefinitionContent;
}

export interface ScopeIds {
  organizationId?: string | undefined;
  documentId?: string | undefined;
}

export interface DefinitionWorkflowInput {
  workspaceId: string;
  definitionId: string;
  record: DefinitionRecord | null;
}

export interface UpdateDefinitionCommand {
  ifVersion: number;
  content: DefinitionContent;
}

export const createDefinitionUpdate = defineUpdate<DefinitionRecord, [DefinitionContent]>('createDefinition');
export const updateDefinitionUpdate = defineUpdate<DefinitionRecord, [UpdateDefinitionCommand]>('updateDefinition');
export const deleteDefinitionUpdate = defineUpdate<DefinitionRecord, [ScopeIds]>('deleteDefinition');
export const getDefinitionQuery = defineQuery<DefinitionRecord | null>('getDefinition');

export const definitionWorkflowId = (workspaceId: string, definitionId: string): string => `approval-def/${workspaceId}/${definitionId}`;
