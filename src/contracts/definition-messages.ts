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

/** `purge` also ends the workflow, so the API can remove its runs (docs/g3.md, "Deleting"). */
export interface DeleteDefinitionCommand extends ScopeIds {
  purge?: boolean | undefined;
}

export const createDefinitionUpdate = defineUpdate<StoredDefinition, [CanonicalDefinition]>('createDefinition');
export const updateDefinitionUpdate = defineUpdate<StoredDefinition, [UpdateDefinitionCommand]>('updateDefinition');
export const deleteDefinitionUpdate = defineUpdate<StoredDefinition, [DeleteDefinitionCommand]>('deleteDefinition');
export const getDefinitionQuery = defineQuery<StoredDefinition | null>('getDefinition');

export const definitionWorkflowId = (workspaceId: string, definitionId: string): string => `approval-def/${workspaceId}/${definitionId}`;
