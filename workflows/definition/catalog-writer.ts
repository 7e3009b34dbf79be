import { getExternalWorkflowHandle, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { catalogChangedSignal, definitionCatalogWorkflowId, type DefinitionCatalogInput } from '../../src/contracts/definition-catalog';
import { catalogChange } from '../../src/core/definition/catalog';
import type { StoredDefinition } from '../../src/core/definition/stored';

/**
 * Tells the workspace's catalog what this definition now is, and returns once the catalog has
 * recorded it: a write's Update answers only after that, so the next list sees the write
 * (docs/behaviour.md, "Definitions"). The first definition of a workspace starts the catalog.
 */
export const recordInCatalog = async (workspaceId: string, definitionId: string, record: StoredDefinition | null): Promise<void> => {
  const change = catalogChange(definitionId, record);
  const workflowId = definitionCatalogWorkflowId(workspaceId);
  const catalog = getExternalWorkflowHandle(workflowId);
  try {
    await catalog.signal(catalogChangedSignal, change);
    return;
  } catch {
    // Not started yet (or ended by an operator): start it, then tell it.
  }
  try {
    const input: DefinitionCatalogInput = { workspaceId, entries: [], seeded: false };
    await startChild('definitionCatalogWorkflow', { workflowId, args: [input], parentClosePolicy: 'ABANDON' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  await catalog.signal(catalogChangedSignal, change);
};
