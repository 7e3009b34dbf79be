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
  type DefinitionWorkflowInput,
  type UpdateDefinitionCommand,
} from '../src/contracts/definition-messages';
import { SA } from '../src/contracts/search-attributes';
import { firstVersion, nextVersion, scopeMatches, tombstoned, type ScopeIds, type StoredDefinition } from '../src/core/definition/stored';
import { engineFailure } from './engine-failure';

// Keeps each run's history small; state is carried over whole.
const MAX_CHANGES_PER_RUN = 500;

/**
 * One long-lived entity workflow per (workspace, definitionId). Updates are applied one at a time,
 * so `ifVersion` is a true compare-and-set; validators turn away bad requests before history.
 */
export async function definitionWorkflow(input: DefinitionWorkflowInput): Promise<void> {
  let record: StoredDefinition | null = input.record;
  let changes = 0;

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
    if (!record || record.status !== 'active') {
      throw engineFailure('NOT_FOUND', `definition ${input.definitionId} not found`);
    }
    return record;
  };

  setHandler(getDefinitionQuery, () => record);

  setHandler(
    createDefinitionUpdate,
    (content) => {
      // A tombstoned id is free again and restarts at version 1 (decisions §3).
      return publish(firstVersion(content, Date.now()));
    },
    {
      validator: (_content) => {
        if (record?.status === 'active') {
          throw engineFailure('ALREADY_EXISTS', `definition ${input.definitionId} already exists`);
        }
      },
    },
  );

  const checkVersion = (current: StoredDefinition, ifVersion: number): void => {
    if (current.version !== ifVersion) {
      throw engineFailure('FAILED_PRECONDITION', `Version conflict: expected ${ifVersion}, current ${current.version}`);
    }
  };

  setHandler(
    updateDefinitionUpdate,
    ({ ifVersion, content }) => {
      // Checked again here: two updates delivered in one task both pass their validators first.
      const current = activeRecord();
      checkVersion(current, ifVersion);
      return publish(nextVersion(current, content, Date.now()));
    },
    { validator: ({ ifVersion }: UpdateDefinitionCommand) => checkVersion(activeRecord(), ifVersion) },
  );

  setHandler(
    deleteDefinitionUpdate,
    (ids) => {
      const current = activeRecord();
      if (!scopeMatches(current.content.scope, ids)) throw engineFailure('NOT_FOUND', `definition ${input.definitionId} not found`);
      return publish(tombstoned(current, Date.now()));
    },
    {
      validator: (ids: ScopeIds) => {
        if (!scopeMatches(activeRecord().content.scope, ids)) {
          throw engineFailure('NOT_FOUND', `definition ${input.definitionId} not found`);
        }
      },
    },
  );

  await condition(() => changes >= MAX_CHANGES_PER_RUN || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof definitionWorkflow>({ ...input, record });
}
