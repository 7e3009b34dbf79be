import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  catalogChangedSignal,
  catalogPageQuery,
  catalogSeededSignal,
  type DefinitionCatalogInput,
} from '../src/contracts/definition-catalog';
import { applyCatalogChange, pageCatalog, type CatalogEntry } from '../src/core/definition/catalog';

// Keeps each run's history small; the entries are carried over whole.
const MAX_CHANGES_PER_RUN = 500;

/**
 * One entity workflow per workspace: the catalog its definitions/list pages come from. Each
 * definition workflow signals it before its write answers, and a query sees every signal recorded
 * before it, so a list reads the writes that returned before it (docs/behaviour.md, "Definitions").
 */
export async function definitionCatalogWorkflow(input: DefinitionCatalogInput): Promise<void> {
  const entries = new Map<string, CatalogEntry>(input.entries.map((entry) => [entry.definitionId, entry]));
  let seeded = input.seeded;
  let changes = 0;

  setHandler(catalogChangedSignal, (change) => {
    applyCatalogChange(entries, change);
    changes += 1;
  });
  setHandler(catalogSeededSignal, () => {
    seeded = true;
  });
  setHandler(catalogPageQuery, (request) => ({ seeded, count: entries.size, ...pageCatalog(entries.values(), request) }));

  await condition(() => changes >= MAX_CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof definitionCatalogWorkflow>({ workspaceId: input.workspaceId, entries: [...entries.values()], seeded });
}
