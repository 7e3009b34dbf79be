import { dispatchable } from '../../core/definition/dispatchable';
import { EngineError } from '../../core/errors';
import type { DispatchRequest } from '../../core/requests/execution-requests';
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
 * version. The definition workflow pins it and checks the rules again, so a delete can never miss
 * the run (docs/behaviour.md, "Definitions").
 */
export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async dispatch(workspaceId: string, request: DispatchRequest): Promise<DispatchResult> {
    const { definitions } = this.deps;
    const record = dispatchable(await definitions.get(workspaceId, request.definitionId), request.definitionId, request);
    let webhook = null;
    if (request.webhookUrl !== undefined && request.webhookSecret !== undefined) {
      const problem = this.deps.checkWebhookUrl(request.webhookUrl);
      if (problem) throw problem;
      if (!this.deps.secretBox) {
        throw new EngineError('FAILED_PRECONDITION', 'webhook delivery is not configured on this server (APPROVAL_SECRETS_KEY)');
      }
      webhook = { url: request.webhookUrl, sealedSecret: this.deps.secretBox.seal(request.webhookSecret) };
    }
    const { definitionId, organizationId, documentId } = request;
    return this.deps.executions.start(
      {
        workspaceId,
        definition: record,
        triggerContext: request.triggerContext ?? {},
        correlationId: request.correlationId,
        idempotencyKey: request.idempotencyKey,
        folderId: request.folderId ?? null,
        webhook,
      },
      {
        pin: async (executionId) =>
          (await definitions.pin(workspaceId, definitionId, {
            executionId,
            expectedVersion: record.version,
            organizationId,
            documentId,
          })) ?? record,
        release: (executionId) => definitions.release(workspaceId, definitionId, executionId),
      },
    );
  }
}
