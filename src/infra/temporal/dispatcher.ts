import { EngineError } from '../../core/errors';
import type { DispatchRequest } from '../../core/requests/execution-requests';
import type { StoredDefinition } from '../../core/definition/stored';
import type { SecretBox } from '../secrets/secret-box';
import type { WebhookTarget } from '../../webhooks/contract';
import type { DefinitionClient } from './definition-client';
import type { DispatchResult, ExecutionClient } from './execution-client';

export interface DispatcherDeps {
  definitions: DefinitionClient;
  executions: ExecutionClient;
  secretBox: SecretBox | undefined;
  /** Dispatch-time webhookUrl rules (docs/behaviour.md, "Outbound requests"); null when the URL is acceptable. */
  checkWebhookUrl: (url: string) => EngineError | null;
}

/**
 * Dispatch: the rules of `executions/dispatch` (an addressable, live definition with a root node; a
 * checked webhook target whose secret is sealed), then the run is started pinned to the current
 * version. The definition workflow checks the definition's rules as it pins the version for the
 * new execution id, so a delete can never miss the run (docs/behaviour.md, "Definitions").
 */
export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async dispatch(workspaceId: string, request: DispatchRequest): Promise<DispatchResult> {
    const { definitions, executions } = this.deps;
    const { definitionId, organizationId, documentId } = request;
    // A repeat of a key already taken is answered before anything is pinned or written (docs/behaviour.md, "Workspace limits").
    if (request.idempotencyKey !== undefined) {
      const repeat = await executions.repeatOf(workspaceId, request.idempotencyKey);
      if (repeat) return repeat;
    }
    const { executionId, dispatchedAt } = executions.newExecutionId();
    const release = () => definitions.release(workspaceId, definitionId, executionId);
    const unadmit = () => executions.unadmit(workspaceId, executionId).catch(() => undefined);
    // The pin and the place under the workspace limit are independent, so they are asked for
    // together; the definition's refusal comes first when both refuse (docs/behaviour.md, "Workspace limits").
    const [pinned, admitted] = await Promise.allSettled([
      definitions.pin(workspaceId, definitionId, { executionId, organizationId, documentId }),
      executions.admit(workspaceId, executionId),
    ]);
    if (pinned.status === 'rejected') {
      if (admitted.status === 'fulfilled') await unadmit();
      throw pinned.reason;
    }
    if (admitted.status === 'rejected') {
      await release().catch(() => undefined);
      throw admitted.reason;
    }
    const definition = pinned.value;
    let webhook: WebhookTarget | null;
    try {
      webhook = this.webhookTarget(request, definition);
    } catch (error) {
      await Promise.all([release().catch(() => undefined), unadmit()]);
      throw error;
    }
    return executions.start(
      {
        workspaceId,
        definition,
        triggerContext: request.triggerContext ?? {},
        correlationId: request.correlationId,
        idempotencyKey: request.idempotencyKey,
        folderId: request.folderId ?? null,
        // Passed to agent calls (docs/behaviour.md, "G3 runtime"); absent keys keep the workflow input as before.
        ...(organizationId === undefined ? {} : { organizationId }),
        ...(documentId === undefined ? {} : { documentId }),
        webhook,
      },
      { executionId, dispatchedAt, release, admitted: true },
    );
  }

  /** Checked after the definition's rules, so that their refusals come first. */
  /** The dispatch's own target, else the definition's `webhookConfig` (docs/inbound.md, "Definition webhookConfig"). */
  private webhookTarget(request: DispatchRequest, definition: StoredDefinition): WebhookTarget | null {
    const { webhookConfig } = definition.content;
    if (request.webhookUrl === undefined && webhookConfig !== undefined) {
      // A dispatch that names its own target also drops the definition's eventTypes.
      return {
        url: webhookConfig.url,
        sealedSecret: webhookConfig.sealedSecret,
        ...(webhookConfig.eventTypes === null ? {} : { eventTypes: [...webhookConfig.eventTypes] }),
      };
    }
    if (request.webhookUrl === undefined || request.webhookSecret === undefined) return null;
    const problem = this.deps.checkWebhookUrl(request.webhookUrl);
    if (problem) throw problem;
    if (!this.deps.secretBox) {
      throw new EngineError('FAILED_PRECONDITION', 'webhook delivery is not configured on this server (APPROVAL_SECRETS_KEY)');
    }
    const { secretBox } = this.deps;
    return {
      url: request.webhookUrl,
      sealedSecret: secretBox.seal(request.webhookSecret),
      ...(request.webhookPreviousSecret === undefined ? {} : { sealedPreviousSecret: secretBox.seal(request.webhookPreviousSecret) }),
    };
  }
}
