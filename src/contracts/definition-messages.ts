import { defineQuery, defineUpdate } from '@temporalio/workflow';

import type { CanonicalDefinition } from '../core/definition/canonical';
import type { ScopeIds, StoredDefinition } from '../core/definition/stored';

export interface DefinitionWorkflowInput {
  workspaceId: string;
  definitionId: string;
  /** The stored version carried across continue-as-new; null when the workflow is started to create it. */
  record: StoredDefinition | null;
}

export interface UpdateDefinitionCommand {
  ifVersion: number;
  content: CanonicalDefinition;
}

export const createDefinitionUpdate = defineUpdate<StoredDefinition, [CanonicalDefinition]>('createDefinition');
export const updateDefinitionUpdate = defineUpdate<StoredDefinition, [UpdateDefinitionCommand]>('updateDefinition');
export const deleteDefinitionUpdate = defineUpdate<StoredDefinition, [ScopeIds]>('deleteDefinition');
export const getDefinitionQuery = defineQuery<StoredDefinition | null>('getDefinition');

export const definitionWorkflowId = (workspaceId: string, definitionId: string): string => `approval-def/${workspaceId}/${definitionId}`;
