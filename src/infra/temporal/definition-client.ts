import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import {
  announceDefinitionUpdate,
  createDefinitionUpdate,
  definitionWorkflowId,
  deleteDefinitionUpdate,
  executionEndedSignal,
  getDefinitionQuery,
  inFlightExecutionsQuery,
  pinExecutionsUpdate,
  updateDefinitionUpdate,
  type DeleteDefinitionCommand,
  MAX_PINS_PER_UPDATE,
  type PinExecutionCommand,
  type UpdateDefinitionCommand,
} from '../../contracts/definition-messages';
import type { CanonicalDefinition } from '../../core/definition/canonical';
import { MAX_DEFINITIONS_PER_WORKSPACE } from '../../core/definition/catalog';
import type { StoredDefinition } from '../../core/definition/stored';
import { definitionNotFound, EngineError, failedPrecondition } from '../../core/errors';
import { DefinitionIdSchema } from '../../core/requests/common';
import { DefinitionCatalogClient } from './definition-catalog-client';
import { readDefinitionVersions, type DefinitionVersions } from './definition-versions';
import { EXAMINED_PER_DELETE, gatherEvidence, unpinnedRunning } from './in-flight-evidence';
import { newUpdateId, retryAbortedUpdate } from './aborted-update';
import { mapInBatches } from './in-batches';
import { GroupCommit } from './group-commit';
import { withNotFound } from './not-found';
import { WorkerWait } from './worker-wait';

/**
 * Ids from URLs (the operator pages) reach this client past the request schemas: one that is no
 * definition id names no definition, and never goes to Temporal (docs/api.md, "Common formats").
 */
const isDefinitionId = (definitionId: string): boolean => DefinitionIdSchema.safeParse(definitionId).success;

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

const READ_CONCURRENCY = 16;
type FirstEvent = { workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string | null } | null };

// A definition continues as new every 500 changes; this bounds the walk back through its runs.
const MAX_RUN_CHAIN = 10_000;

/**
 * The API's client of the definition workflows (one entity workflow per definition): writes are
 * Updates, reads are queries, lists come from the workspace's catalog workflow. Nothing here
 * waits for visibility (docs/behaviour.md, "Definitions").
 */
export class DefinitionClient {
  private readonly catalog: DefinitionCatalogClient;
  // Dispatches of one definition that arrive together are pinned in one Update (docs/behaviour.md, "Definitions").
  private readonly pins = new GroupCommit({
    maxBatch: MAX_PINS_PER_UPDATE,
    keyString: ({ workspaceId, definitionId }: { workspaceId: string; definitionId: string }) => `${workspaceId}/${definitionId}`,
    send: async ({ workspaceId, definitionId }, pins: PinExecutionCommand[]) => {
      const updateId = newUpdateId();
      const reply = await withNotFound(definitionNotFound(definitionId), () =>
        this.retrying(() => this.handle(workspaceId, definitionId).executeUpdate(pinExecutionsUpdate, { args: [{ pins }], updateId })),
      );
      return reply.outcomes.map((outcome) => ({ outcome, reply }));
    },
  });

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly limits: { maxDefinitionsPerWorkspace: number } = { maxDefinitionsPerWorkspace: MAX_DEFINITIONS_PER_WORKSPACE },
    private readonly wait: WorkerWait = new WorkerWait(client, taskQueue),
  ) {
    this.catalog = new DefinitionCatalogClient(
      client,
      taskQueue,
      (workspaceId, definitionId) => this.announce(workspaceId, definitionId),
      this.wait,
    );
  }

  async create(workspaceId: string, content: CanonicalDefinition): Promise<StoredDefinition> {
    // Checked before the write, so creates racing at the limit may pass it by their number; the
    // catalog's state stays bounded all the same (docs/behaviour.md, "Limits").
    const { count } = await this.catalog.read(workspaceId, { pageSize: 1 });
    const limit = this.limits.maxDefinitionsPerWorkspace;
    if (count >= limit) {
      throw new EngineError(
        'RESOURCE_EXHAUSTED',
        `the workspace has ${count} definitions, the limit is ${limit}; delete one before creating another`,
      );
    }
    const workflowId = definitionWorkflowId(workspaceId, content.definitionId);
    // Every attempt carries one update id, so a create retried after its answer was lost is applied once (docs/behaviour.md, "Races").
    const updateId = newUpdateId();
    return this.retrying(() =>
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

  /**
   * An Update of a definition, sent again while Temporal aborts it before the workflow accepted it
   * (nothing of it applied), and bounded by the worker wait (docs/behaviour.md, "Races").
   */
  private retrying<R>(call: () => Promise<R>): Promise<R> {
    return retryAbortedUpdate(() => this.wait.run(call));
  }

  async get(workspaceId: string, definitionId: string): Promise<StoredDefinition | null> {
    if (!isDefinitionId(definitionId)) return null;
    try {
      return await this.wait.run(() => this.handle(workspaceId, definitionId).query(getDefinitionQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /** Its stored versions, newest first, read back from its workflow's history (bounded; docs/ui.md, "Definition view"). */
  async versions(workspaceId: string, definitionId: string): Promise<DefinitionVersions> {
    if (!isDefinitionId(definitionId)) throw definitionNotFound(definitionId);
    try {
      return await readDefinitionVersions(this.client, definitionWorkflowId(workspaceId, definitionId));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw definitionNotFound(definitionId);
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
    const updateId = newUpdateId();
    return withNotFound(definitionNotFound(definitionId), () =>
      this.retrying(() => this.handle(workspaceId, definitionId).executeUpdate(updateDefinitionUpdate, { args: [command], updateId })),
    );
  }

  /**
   * The definition workflow decides, and refuses while an execution it pinned has not ended. First
   * each pinned execution whose end was never reported (oldest first) is asked itself, and what is
   * found travels with the Update; runs it never pinned (dispatched before it tracked them) are
   * looked for too. With `purge`, the workflow ends once it has applied the delete, and every run of
   * it is then deleted from Temporal (docs/g3.md, "Deleting").
   */
  async delete(workspaceId: string, definitionId: string, command: DeleteDefinitionCommand): Promise<StoredDefinition> {
    return withNotFound(definitionNotFound(definitionId), async () => {
      const handle = this.handle(workspaceId, definitionId);
      const inFlight = await handle.query(inFlightExecutionsQuery, { limit: EXAMINED_PER_DELETE });
      const { evidence, running } = await gatherEvidence(this.client, workspaceId, inFlight.executionIds);
      // Not needed when a pinned run still runs: the definition refuses the delete then anyway.
      const unpinned = running ? 0 : await unpinnedRunning(this.client, workspaceId, definitionId, new Set(inFlight.executionIds));
      if (unpinned > 0) {
        const stillPinned = inFlight.count - evidence.filter(({ seen }) => seen === 'ended').length;
        throw failedPrecondition(`definition ${definitionId} has ${stillPinned + unpinned} execution(s) in flight`);
      }
      // Started, not executed: the run that accepted the delete is the last of the chain a purge removes.
      const updateId = newUpdateId();
      const update = await this.retrying(() =>
        handle.startUpdate(deleteDefinitionUpdate, {
          args: [{ ...command, evidence }],
          updateId,
          waitForStage: WorkflowUpdateStage.ACCEPTED,
        }),
      );
      const record = await this.wait.run(() => update.result());
      if (command.purge === true && update.workflowRunId !== undefined) {
        await this.deleteRuns(definitionWorkflowId(workspaceId, definitionId), update.workflowRunId);
      }
      return record;
    });
  }

  /**
   * Pins the current version for a new execution; the definition refuses as a dispatch must
   * (NOT_FOUND, deleted, no root node). A version too large to travel in the reply is read after.
   */
  async pin(workspaceId: string, definitionId: string, command: PinExecutionCommand): Promise<StoredDefinition> {
    const { outcome, reply } = await this.pins.submit({ workspaceId, definitionId }, command);
    if (!outcome.pinned) throw new EngineError(outcome.error.status, outcome.error.message);
    if (reply.record) return reply.record;
    // Any later version will do: a delete meanwhile has revoked the execution's id, so it never starts.
    const record = await this.get(workspaceId, definitionId);
    if (!record) throw definitionNotFound(definitionId);
    return record;
  }

  /** The pinned execution will never start (its start was refused): it no longer holds a delete back. */
  async release(workspaceId: string, definitionId: string, executionId: string): Promise<void> {
    await this.handle(workspaceId, definitionId).signal(executionEndedSignal, { executionId });
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
    const page = await this.catalog.read(workspaceId, options);
    const records = await mapInBatches(page.items, READ_CONCURRENCY, (entry) => this.get(workspaceId, entry.definitionId));
    // A definition deleted between the catalog read and its own read is left out.
    const items = records.filter((record): record is StoredDefinition => record?.status === 'active');
    return { items, nextCursor: page.nextCursor };
  }

  private async announce(workspaceId: string, definitionId: string): Promise<void> {
    try {
      const updateId = newUpdateId();
      await this.retrying(() => this.handle(workspaceId, definitionId).executeUpdate(announceDefinitionUpdate, { updateId }));
    } catch (error) {
      // Gone since visibility listed it: nothing to announce.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }

  private handle(workspaceId: string, definitionId: string) {
    if (!isDefinitionId(definitionId)) throw definitionNotFound(definitionId);
    return this.client.workflow.getHandle(definitionWorkflowId(workspaceId, definitionId));
  }
}
