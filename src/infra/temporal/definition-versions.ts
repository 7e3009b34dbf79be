import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { decodeArrayFromPayloads, decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { DefinitionWorkflowInput } from '../../contracts/definition-messages';
import type { StoredDefinition } from '../../core/definition/stored';

/** The definition workflow's Updates whose reply is the version they wrote. */
const WRITES = new Set(['createDefinition', 'updateDefinition', 'deleteDefinition']);

/** Runs of the definition workflow one read walks back through (each run holds at most 500 changes). */
export const MAX_VERSION_HISTORY_RUNS = 3;

export interface DefinitionVersions {
  /** Newest first, one entry per version (its latest state, e.g. tombstoned). */
  versions: StoredDefinition[];
  /** False when older runs were left unread: versions before the oldest listed may exist. */
  complete: boolean;
}

/**
 * The stored versions of a definition, read back from its workflow's history (docs/ui.md,
 * "Definition view"): the workflow keeps only the current version in its state, but every create,
 * update and delete answered with the version it wrote, and Temporal keeps those replies. Walks the
 * continue-as-new chain from the newest run, at most `maxRuns` runs, so the cost of a read is bounded.
 */
export const readDefinitionVersions = async (
  client: Client,
  workflowId: string,
  maxRuns = MAX_VERSION_HISTORY_RUNS,
): Promise<DefinitionVersions> => {
  const converter = client.options.loadedDataConverter;
  const byVersion = new Map<number, StoredDefinition>();
  // Runs are read newest first; within a run events are oldest first, so a run's later write wins
  // inside it, and a newer run's state wins over an older run's.
  const keep = (found: Map<number, StoredDefinition>) => {
    for (const [version, record] of found) if (!byVersion.has(version)) byVersion.set(version, record);
  };
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  let created = false;
  for (let read = 0; runId && read < maxRuns; read += 1) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    const found = new Map<number, StoredDefinition>();
    const updateNames = new Map<string, string>();
    for (const event of events) {
      const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
      if (accepted) updateNames.set(String(event.eventId), accepted.acceptedRequest?.input?.name ?? '');
      const completed = event.workflowExecutionUpdateCompletedEventAttributes;
      const payloads = completed?.outcome?.success?.payloads;
      if (!completed || !payloads || !WRITES.has(updateNames.get(String(completed.acceptedEventId)) ?? '')) continue;
      const record = await decodeFromPayloadsAtIndex<StoredDefinition>(converter, 0, payloads);
      // A create starts the lineage again (a tombstoned id restarts at version 1): what came before is another definition's.
      if (updateNames.get(String(completed.acceptedEventId)) === 'createDefinition') {
        found.clear();
        created = true;
      }
      found.set(record.version, record);
    }
    const started: temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes | null | undefined =
      events[0]?.workflowExecutionStartedEventAttributes;
    if (!created) {
      // The version the run was started with: written by an earlier run, perhaps one left unread.
      const [input] = (await decodeArrayFromPayloads(converter, started?.input?.payloads)) as [DefinitionWorkflowInput | undefined];
      if (input?.record && !found.has(input.record.version)) found.set(input.record.version, input.record);
    }
    keep(found);
    runId = created ? undefined : started?.continuedExecutionRunId || undefined;
  }
  return { versions: [...byVersion.values()].sort((a, b) => b.version - a.version), complete: runId === undefined };
};
