import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  createDefinitionUpdate,
  deleteDefinitionUpdate,
  getDefinitionQuery,
  updateDefinitionUpdate,
  type DeleteDefinitionCommand,
  type DefinitionWorkflowInput,
  type UpdateDefinitionCommand,
} from '../src/contracts/definition-messages';
import { SA } from '../src/contracts/search-attributes';
import {
  addressable,
  checkVersion,
  firstVersion,
  nextVersion,
  tombstoned,
  type ScopeIds,
  type StoredDefinition,
} from '../src/core/definition/stored';
import { definitionNotFound, EngineError } from '../src/core/errors';
import { setUpdateHandler } from './update-handler';

// Keeps each run's history small; state is carried over whole.
const MAX_CHANGES_PER_RUN = 500;

/**
 * One long-lived entity workflow per (workspace, definitionId). Updates are applied one at a time,
 * so `ifVersion` is a true compare-and-set; validators turn away bad requests before history.
 */
export async function definitionWorkflow(input: DefinitionWorkflowInput): Promise<void> {
  let record: StoredDefinition | null = input.record;
  let changes = 0;
  // Set by a purging delete: the workflow ends, and no write is accepted until it has.
  let purged = false;

  const publish = (next: StoredDefinition): StoredDefinition => {
    record = next;
    changes += 1;
    // The memo lets list pages come straight from visibility, without a query per definition.
    upsertMemo({ record: next });
    upsertSearchAttributes([
      { key: SA.kind, value: 'definition' },
      { key: SA.workspace, value: input.workspaceId },
      { key: SA.definitionId, value: next.definitionId },
      { key: SA.status, value: next.status },
      { key: SA.updatedAt, value: next.updatedAt },
      { key: SA.organizationId, value: next.content.scope.organizationId ?? '' },
      { key: SA.documentId, value: next.content.scope.documentId ?? '' },
    ]);
    return next;
  };

  const activeRecord = (): StoredDefinition => {
    if (!record || record.status !== 'active') throw definitionNotFound(input.definitionId);
    return record;
  };

  setHandler(getDefinitionQuery, () => record);

  // Each handler runs its validator's check again on the state it finds, so a request the
  // validator saw on a stale state is refused (never applied); for updates that makes `ifVersion`
  // a true compare-and-set.
  const notPurging = (): void => {
    if (purged) throw new EngineError('FAILED_PRECONDITION', `definition ${input.definitionId} is being purged; retry`);
  };
  const creatable = (): void => {
    notPurging();
    if (record?.status === 'active') throw new EngineError('ALREADY_EXISTS', `definition ${input.definitionId} already exists`);
  };
  setUpdateHandler(
    createDefinitionUpdate,
    // A tombstoned id is free again and restarts at version 1 (docs/api.md, "definitions/delete").
    (content) => {
      creatable();
      return publish(firstVersion(content, Date.now()));
    },
    (_content) => creatable(),
  );

  const updatable = ({ ifVersion }: UpdateDefinitionCommand): StoredDefinition => {
    const current = activeRecord();
    checkVersion(current, ifVersion);
    return current;
  };
  setUpdateHandler(
    updateDefinitionUpdate,
    (command) => publish(nextVersion(updatable(command), command.content, Date.now())),
    (command) => void updatable(command),
  );

  const deletable = (ids: ScopeIds): StoredDefinition => addressable(record, input.definitionId, ids);
  setUpdateHandler(
    deleteDefinitionUpdate,
    (command: DeleteDefinitionCommand) => {
      const next = publish(tombstoned(deletable(command), Date.now()));
      if (command.purge === true) purged = true;
      return next;
    },
    (command) => void deletable(command),
  );

  await condition(() => purged || changes >= MAX_CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  if (purged) return;
  await continueAsNew<typeof definitionWorkflow>({ ...input, record });
}
