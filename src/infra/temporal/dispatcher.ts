import { rootNodeIds } from '../../core/definition/graph';
import { scopeMatches } from '../../core/definition/stored';
import { definitionNotFound, EngineError } from '../../core/errors';
import type { DispatchRequest } from '../../core/requests/execution-requests';
import type { WebhookTarget } from '../../webhooks/contract';
import type { SecretBox } from '../secrets/secret-box';
import type { DefinitionClient } from './definition-client';
import type { DispatchResult, ExecutionClient } from './execution-client';

export interface DispatcherDeps {
  definitions: DefinitionClient;
  executions: ExecutionClient;
  secretBox: SecretBox | undefined;
  /** Dispatch-time webhookUrl rules (spec §6.7); null when the URL is acceptable. */
  checkWebhookUrl: (url: string) => EngineError | null;
}

/**
 * Dispatch: the rules of `executions/dispatch` (an addressable, live definition with a root node; a
 * checked webhook target whose secret is sealed), then the run is started pinned to the current
 * version.
 */
export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async dispatch(workspaceId: string, request: DispatchRequest): Promise<DispatchResult> {
    const record = await this.deps.definitions.get(workspaceId, request.definitionId);
    if (!record || !scopeMatches(record.content.scope, request)) {
      throw definitionNotFound(request.definitionId);
    }
    if (record.status === 'tombstoned') {
      throw new EngineError('FAILED_PRECONDITION', `definition ${request.definitionId} is deleted and cannot be dispatched`);
    }
    if (rootNodeIds(record.content).length === 0) {
      throw new EngineError('FAILED_PRECONDITION', `definition ${request.definitionId} has no root node to start from`);
    }
    let webhook: WebhookTarget | null = null;
    const { webhookConfig } = record.content;
    if (request.webhookUrl === undefined && webhookConfig !== undefined) {
      // The definition's own target, unless the dispatch names one (which also drops eventTypes).
      webhook = {
        url: webhookConfig.url,
        sealedSecret: webhookConfig.sealedSecret,
        ...(webhookConfig.eventTypes === null ? {} : { eventTypes: [...webhookConfig.eventTypes] }),
      };
    }
    if (request.webhookUrl !== undefined && request.webhookSecret !== undefined) {
      const problem = this.deps.checkWebhookUrl(request.webhookUrl);
      if (problem) throw problem;
      if (!this.deps.secretBox) {
        throw new EngineError('FAILED_PRECONDITION', 'webhook delivery is not configured on this server (APPROVAL_SECRETS_KEY)');
      }
      const { secretBox } = this.deps;
      webhook = {
        url: request.webhookUrl,
        sealedSecret: secretBox.seal(request.webhookSecret),
        ...(request.webhookPreviousSecret === undefined ? {} : { sealedPreviousSecret: secretBox.seal(request.webhookPreviousSecret) }),
      };
    }
    return this.deps.executions.start({
      workspaceId,
      definition: record,
      triggerContext: request.triggerContext ?? {},
      correlationId: request.correlationId,
      idempotencyKey: request.idempotencyKey,
      folderId: request.folderId ?? null,
      // Passed to agent calls (docs/behaviour.md, "G3 runtime"); absent keys keep the workflow input as before.
      ...(request.organizationId === undefined ? {} : { organizationId: request.organizationId }),
      ...(request.documentId === undefined ? {} : { documentId: request.documentId }),
      webhook,
    });
  }
}
