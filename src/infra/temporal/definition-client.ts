import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import {
  createDefinitionUpdate,
  definitionWorkflowId,
  deleteDefinitionUpdate,
  getDefinitionQuery,
  updateDefinitionUpdate,
  type DeleteDefinitionCommand,
  type UpdateDefinitionCommand,
} from '../../contracts/definition-messages';
import type { CanonicalDefinition } from '../../core/definition/canonical';
import type { StoredDefinition } from '../../core/definition/stored';
import { definitionNotFound } from '../../core/errors';
import { newUpdateId, retryAbortedUpdate } from './aborted-update';
import { withNotFound } from './not-found';
import { and, quote } from './visibility-query';
import { WorkerWait } from './worker-wait';

export interface ListDefinitionsOptions {
  pageSize: number;
  cursor?: number | undefined;
  organizationId?: string | undefined;
  documentId?: string | undefined;
}

export interface DefinitionPage {
  items: StoredDefinition[];
  nextCursor: number | null;
}

type FirstEvent = { workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string | null } | null };

// A definition continues as new every 500 changes; this bounds the walk back through its runs.
const MAX_RUN_CHAIN = 10_000;

const byUpdatedAtDesc = (a: StoredDefinition, b: StoredDefinition): number =>
  b.updatedAt - a.updatedAt || a.definitionId.localeCompare(b.definitionId);

/**
 * The integer cursor is the last item's `updatedAt`, so a page must not end in the middle of a
 * group of equal timestamps: trailing ties move to the next page (unless the page is one tie group).
 */
export const cutPage = (sorted: StoredDefinition[], pageSize: number): DefinitionPage => {
  if (sorted.length <= pageSize) return { items: sorted, nextCursor: null };
  let end = pageSize;
  const boundary = sorted[pageSize]?.updatedAt;
  while (end > 0 && sorted[end - 1]?.updatedAt === boundary) end -= 1;
  if (end === 0) {
    end = pageSize;
    while (end < sorted.length && sorted[end]?.updatedAt === boundary) end += 1;
  }
  const items = sorted.slice(0, end);
  return { items, nextCursor: end < sorted.length ? (items.at(-1)?.updatedAt ?? null) : null };
};

/**
 * The API's client of the definition workflows (one entity workflow per definition): writes are
 * Updates, reads are queries, lists come from visibility.
 */
export class DefinitionClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly wait: WorkerWait = new WorkerWait(client, taskQueue),
  ) {}

  /** An Update of a definition: one update id for every attempt, retried when Temporal aborts it, bounded by the worker wait. */
  private runUpdate<R>(call: (updateId: string) => Promise<R>): Promise<R> {
    const updateId = newUpdateId();
    return retryAbortedUpdate(() => this.wait.run(() => call(updateId)));
  }

  async create(workspaceId: string, content: CanonicalDefinition): Promise<StoredDefinition> {
    const workflowId = definitionWorkflowId(workspaceId, content.definitionId);
    // A WithStartWorkflowOperation is single-use: each attempt builds its own.
    return this.runUpdate((updateId) =>
      this.client.workflow.executeUpdateWithStart(createDefinitionUpdate, {
        args: [content],
        updateId,
        startWorkflowOperation: new WithStartWorkflowOperation('definitionWorkflow', {
          workflowId,
          taskQueue: this.taskQueue,
          args: [{ workspaceId, definitionId: content.definitionId, record: null }],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      }),
    );
  }

  async get(workspaceId: string, definitionId: string): Promise<StoredDefinition | null> {
    try {
      return await this.wait.run(() => this.handle(workspaceId, definitionId).query(getDefinitionQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /** Like `get`, but tombstoned and absent both read as NOT_FOUND. */
  async getActive(workspaceId: string, definitionId: string): Promise<StoredDefinition> {
    const record = await this.get(workspaceId, definitionId);
    if (!record || record.status !== 'active') throw definitionNotFound(definitionId);
    return record;
  }

  async update(workspaceId: string, definitionId: string, command: UpdateDefinitionCommand): Promise<StoredDefinition> {
    return withNotFound(definitionNotFound(definitionId), () =>
      this.runUpdate((updateId) =>
        this.handle(workspaceId, definitionId).executeUpdate(updateDefinitionUpdate, { args: [command], updateId }),
      ),
    );
  }

  /** Tombstones the definition; with `purge`, its workflow ends and every run of it is deleted from Temporal. */
  async delete(workspaceId: string, definitionId: string, command: DeleteDefinitionCommand): Promise<StoredDefinition> {
    const update = await withNotFound(definitionNotFound(definitionId), () =>
      this.runUpdate((updateId) =>
        this.handle(workspaceId, definitionId).startUpdate(deleteDefinitionUpdate, {
          args: [command],
          updateId,
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        }),
      ),
    );
    const record = await withNotFound(definitionNotFound(definitionId), () => this.wait.run(() => update.result()));
    if (command.purge === true && update.workflowRunId !== undefined) {
      await this.deleteRuns(definitionWorkflowId(workspaceId, definitionId), update.workflowRunId);
    }
    return record;
  }

  /**
   * Deletes the run that applied a purge and every run it continued from (its stored versions live
   * in their histories). Only this chain is touched: a run started by a later create is another chain.
   */
  private async deleteRuns(workflowId: string, lastRunId: string): Promise<void> {
    const namespace = this.client.options.namespace;
    const service = this.client.workflowService;
    const chain: string[] = [];
    for (let runId: string | undefined = lastRunId; runId && chain.length < MAX_RUN_CHAIN;) {
      chain.push(runId);
      const response: { history?: { events?: FirstEvent[] | null } | null } = await service.getWorkflowExecutionHistory({
        namespace,
        execution: { workflowId, runId },
        maximumPageSize: 1,
      });
      runId = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    for (const runId of chain) {
      await service.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId, runId } });
    }
  }

  async list(workspaceId: string, options: ListDefinitionsOptions): Promise<DefinitionPage> {
    const query = and(
      `ApprovalKind = 'definition'`,
      `ApprovalWorkspace = ${quote(workspaceId)}`,
      `ApprovalStatus = 'active'`,
      // Runs closed by continue-as-new keep their search attributes; only the live run counts.
      `ExecutionStatus = 'Running'`,
      options.cursor !== undefined && `ApprovalUpdatedAt < ${options.cursor}`,
      options.organizationId !== undefined && `ApprovalOrganizationId = ${quote(options.organizationId)}`,
      options.documentId !== undefined && `ApprovalDocumentId = ${quote(options.documentId)}`,
    );
    // SQL visibility cannot ORDER BY custom attributes, so the page is ordered here.
    const records: StoredDefinition[] = [];
    for await (const execution of this.client.workflow.list({ query })) {
      const record = execution.memo?.record as StoredDefinition | undefined;
      if (record?.status === 'active') records.push(record);
    }
    return cutPage(records.sort(byUpdatedAtDesc), options.pageSize);
  }

  /** Executions of this definition that have not ended (read from visibility). */
  async countInFlight(workspaceId: string, definitionId: string): Promise<number> {
    const { count } = await this.client.workflow.count(
      and(
        `ApprovalKind = 'execution'`,
        `ApprovalWorkspace = ${quote(workspaceId)}`,
        `ApprovalDefinitionId = ${quote(definitionId)}`,
        `ExecutionStatus = 'Running'`,
      ),
    );
    return count;
  }

  private handle(workspaceId: string, definitionId: string) {
    return this.client.workflow.getHandle(definitionWorkflowId(workspaceId, definitionId));
  }
}
