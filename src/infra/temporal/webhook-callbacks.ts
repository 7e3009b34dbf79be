import { webhookCallbackUpdate } from '../../contracts/execution-messages';
import type { RequestOf, WebhookCallbackReply } from '../../core/interpreter';
import type { SecretBox } from '../secrets/secret-box';
import { verifyCallbackToken, type CallbackKey } from '../webhook-callback-token';
import type { ExecutionClient } from './execution-client';

/** A refusal of the step's Update (not waiting, unknown step) is thrown, as for every step endpoint. */
export type CallbackOutcome = { kind: 'accepted'; reply: WebhookCallbackReply } | { kind: 'bad-token' };

/**
 * The callback of an async webhook step (docs/inbound.md, "The callback contract"): the token is
 * checked against the run's key first, so an unknown execution and a forged token read alike;
 * then the step's Update decides (it must still be waiting).
 */
export class WebhookCallbacks {
  constructor(
    private readonly executions: ExecutionClient,
    private readonly secretBox: SecretBox | undefined,
    private readonly secretsKey: string | undefined,
  ) {}

  async receive(
    workspaceId: string,
    executionId: string,
    token: string | undefined,
    request: RequestOf<'webhookCallbackReceived'>,
  ): Promise<CallbackOutcome> {
    const found = await this.executions.callbackKey(workspaceId, executionId);
    if (found === null) return { kind: 'bad-token' };
    const key = this.keyOf(found.sealedSecret);
    if (key === null || !verifyCallbackToken(key, executionId, request.stepId, token)) return { kind: 'bad-token' };
    return { kind: 'accepted', reply: await this.executions.stepUpdate(workspaceId, executionId, webhookCallbackUpdate, request) };
  }

  private keyOf(sealedSecret: string | null): CallbackKey | null {
    if (sealedSecret === null) return this.secretsKey ? { kind: 'engine-key', base64Key: this.secretsKey } : null;
    if (!this.secretBox) return null;
    try {
      return { kind: 'run-secret', secret: this.secretBox.open(sealedSecret) };
    } catch {
      return null;
    }
  }
}
