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
  type DefinitionRecord,
  type DefinitionWorkflowInput,
  type ScopeIds,
  type UpdateDefinitionCommand,
} from '../src/contracts/definition-messages';
import { SA } from '../src/contracts/search-attributes';
import { scopeMatches } from '../src/core/definition-scope';
import { engineFailure } from './engine-failure';

// Keeps each run's history small; state is carried over whole.
const MAX_CHANGES_PER_RUN = 500;

/**
 * One long-lived entity workflow per (workspace, definitionId). Updates are applied one at a time,
 * so `ifVersion` is a true compare-and-set; validators turn away bad requests before history.
 */
export async function definitionWorkflow(input: DefinitionWorkflowInput): Promise<void> {
  let record: DefinitionRecord | null = input.record;
  let changes = 0;

  const publish = (next: DefinitionRecord): DefinitionRecord => {
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

  const activeRecord = (): DefinitionRecord => {
    if (!record || record.status !== 'active') {
      throw engineFailure('NOT_FOUND', `definition ${input.definitionId} not found`);
    }
    return record;
  };

  setHandler(getDefinitionQuery, () => record);

  setHandler(
    createDefinitionUpdate,
    (content) => {
      const now = Date.now();
      // A tombstoned id is free again and restarts at version 1 (decisions §3).
      return publish({ definitionId: content.definitionId, version: 1, status: 'active', createdAt: now, updatedAt: now, content });
    },
    {
      validator: (_content) => {
        if (record?.status === 'active') {
          throw engineFailure('ALREADY_EXISTS', `definition ${input.definitionId} already exists`);
        }
      },
    },
  );

  const checkVersion = (current: DefinitionRecord, ifVersion: number): void => {
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
      return publish({ ...current, version: current.version + 1, updatedAt: Date.now(), content });
    },
    { validator: ({ ifVersion }: UpdateDefinitionCommand) => checkVersion(activeRecord(), ifVersion) },
  );

  setHandler(
    deleteDefinitionUpdate,
    (ids) => {
      const current = activeRecord();
      if (!scopeMatches(current.content.scope, ids)) throw engineFailure('NOT_FOUND', `definition ${input.definitionId} not found`);
      return publish({ ...current, status: 'tombstoned', updatedAt: Date.now() });
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
