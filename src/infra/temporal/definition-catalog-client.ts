import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  catalogPageQuery,
  catalogSeededSignal,
  definitionCatalogWorkflowId,
  type CatalogReading,
  type DefinitionCatalogInput,
} from '../../contracts/definition-catalog';
import { SA } from '../../contracts/search-attributes';
import type { CatalogPageRequest } from '../../core/definition/catalog';
import { mapInBatches } from './in-batches';
import { and, quote } from './visibility-query';
import type { WorkerWait } from './worker-wait';

const ANNOUNCE_CONCURRENCY = 8;

/**
 * Reads a workspace's catalog of definitions (its entity workflow, queried: strongly consistent).
 * A catalog that has not yet heard of the definitions written before it existed is seeded first.
 */
export class DefinitionCatalogClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** Makes one definition workflow tell the catalog what it holds. */
    private readonly announce: (workspaceId: string, definitionId: string) => Promise<void>,
    /** A query only a worker answers: bounded like every other (docs/operations.md, "When no worker runs"). */
    private readonly wait: WorkerWait,
  ) {}

  async read(workspaceId: string, request: CatalogPageRequest): Promise<CatalogReading> {
    const reading = await this.query(workspaceId, request);
    if (reading?.seeded) return reading;
    await this.seed(workspaceId);
    const seeded = await this.query(workspaceId, request);
    if (!seeded) throw new Error(`the definition catalog of ${workspaceId} is missing after seeding`);
    return seeded;
  }

  private async query(workspaceId: string, request: CatalogPageRequest): Promise<CatalogReading | null> {
    try {
      const catalog = this.client.workflow.getHandle(definitionCatalogWorkflowId(workspaceId));
      return await this.wait.run(() => catalog.query(catalogPageQuery, request));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /**
   * Each definition visibility knows of announces itself: its own workflow sends what it holds, so
   * a stale index cannot put a wrong entry in. Visibility only finds the definitions written before
   * the catalog existed (long since indexed); every later write reaches the catalog directly.
   */
  private async seed(workspaceId: string): Promise<void> {
    const query = and(
      `ApprovalKind = 'definition'`,
      `ApprovalWorkspace = ${quote(workspaceId)}`,
      `ApprovalStatus = 'active'`,
      `ExecutionStatus = 'Running'`,
    );
    const definitionIds: string[] = [];
    for await (const execution of this.client.workflow.list({ query })) {
      const definitionId = execution.typedSearchAttributes.get(SA.definitionId);
      if (definitionId !== undefined) definitionIds.push(definitionId);
    }
    await mapInBatches(definitionIds, ANNOUNCE_CONCURRENCY, (definitionId) => this.announce(workspaceId, definitionId));
    const input: DefinitionCatalogInput = { workspaceId, entries: [], seeded: false };
    await this.client.workflow.signalWithStart('definitionCatalogWorkflow', {
      workflowId: definitionCatalogWorkflowId(workspaceId),
      taskQueue: this.taskQueue,
      args: [input],
      signal: catalogSeededSignal,
      signalArgs: [],
    });
  }
}
