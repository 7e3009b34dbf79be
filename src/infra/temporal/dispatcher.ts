import { rootNodeIds } from '../../core/definition/graph';
import { scopeMatches } from '../../core/definition/stored';
import { EngineError } from '../../core/errors';
import type { DispatchRequest } from '../../core/requests/execution-requests';
import type { SecretBox } from '../secrets/secret-box';
import type { DefinitionStore } from './definition-store';
import type { DispatchResult, ExecutionStore } from './execution-store';

export interface DispatcherDeps {
  definitions: DefinitionStore;
  executions: ExecutionStore;
  secretBox: SecretBox | undefined;
  /** Dispatch-time webhookUrl rules (spec §6.7); null when the URL is acceptable. */
  checkWebhookUrl: (url: string) => EngineError | null;
}

/** Pins the definition's current version and starts the run with the full snapshot. */
export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async dispatch(workspaceId: string, request: DispatchRequest): Promise<DispatchResult> {
    const record = await this.deps.definitions.get(workspaceId, request.definitionId);
    if (!record || !scopeMatches(record.content.scope, request)) {
      throw new EngineError('NOT_FOUND', `definition ${request.definitionId} not found`);
    }
    if (record.status === 'tombstoned') {
      throw new EngineError('FAILED_PRECONDITION', `definition ${request.definitionId} is deleted and cannot be dispatched`);
    }
    if (rootNodeIds(record.content).length === 0) {
      throw new EngineError('FAILED_PRECONDITION', `definition ${request.definitionId} has no root node to start from`);
    }
    let webhook = null;
    if (request.webhookUrl !== undefined && request.webhookSecret !== undefined) {
      const problem = this.deps.checkWebhookUrl(request.webhookUrl);
      if (problem) throw problem;
      if (!this.deps.secretBox) {
        throw new EngineError('FAILED_PRECONDITION', 'webhook delivery is not configured on this server (APPROVAL_SECRETS_KEY)');
      }
      webhook = { url: request.webhookUrl, sealedSecret: this.deps.secretBox.seal(request.webhookSecret) };
    }
    return this.deps.executions.dispatch({
      workspaceId,
      definition: record,
      triggerContext: request.triggerContext ?? {},
      correlationId: request.correlationId,
      idempotencyKey: request.idempotencyKey,
      folderId: request.folderId ?? null,
      webhook,
    });
  }
}
