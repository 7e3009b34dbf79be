import { createHash } from 'node:crypto';
import type { InboundWebhookTrigger } from '../../core/definition/schema/trigger';
import { EngineError, type ErrorCode } from '../../core/errors';
import { describeJsonPath, pathPastDepth } from '../../core/json-depth';
import { DefinitionIdSchema, MAX_TRIGGER_CONTEXT_BYTES, serializedLength } from '../../core/requests/common';
import {
  deliveredPayload,
  eventAllowed,
  eventName,
  sourceEventId,
  triggerContextOf,
  type HeaderReader,
} from '../../core/triggers/inbound-delivery';
import type { WorkspaceBudget } from '../../core/limits/token-buckets';
import type { WorkspaceRegistry } from '../auth/workspace-registry';
import type { SecretBox } from '../secrets/secret-box';
import type { DefinitionClient } from '../temporal/definition-client';
import type { Dispatcher } from '../temporal/dispatcher';
import { signatureScheme, verifyBearer, verifyHmac } from './signature';

/** The inbound route's own replies (docs/inbound.md, "Inbound triggers"): never the `{ data }` envelope. */
export type TriggerReply =
  { ok: true; code: 'accepted'; executionId: string; deduplicated: boolean } | { ok: false; code: string; message: string };

export interface TriggerAnswer {
  status: 200 | 400 | 401 | 404 | 409 | 413 | 429 | 500 | 503 | 504;
  body: TriggerReply;
  /** Sent as `Retry-After` with a rate-limited answer. */
  retryAfterSeconds?: number;
}

export interface TriggerRequest {
  body: Uint8Array;
  header: HeaderReader;
  query: (name: string) => string | undefined;
}

export interface TriggerDeliveryDeps {
  registry: WorkspaceRegistry;
  definitions: DefinitionClient;
  dispatcher: Dispatcher;
  secretBox: SecretBox | undefined;
  /**
   * The workspaces' inbound budgets (docs/operations.md, "Rate limits"): buckets of their own, apart
   * from the `/v2` ones; absent: no limit.
   */
  rateLimit?: WorkspaceBudget | undefined;
}

const refuse = (status: TriggerAnswer['status'], code: string, message: string): TriggerAnswer => ({
  status,
  body: { ok: false, code, message },
});

const ENGINE_STATUS: Partial<Record<ErrorCode, TriggerAnswer['status']>> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 409,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 504,
  UNAVAILABLE: 503,
};

const TOKEN_ID = /^[A-Za-z0-9:_\-.]{1,200}$/;

/**
 * `trig:<definitionId>:<triggerId>:<source id>` as the run's idempotencyKey (the definition is part of
 * it, so one source event that feeds two definitions starts one run of each); when that is not a
 * valid key (too long, other characters) its SHA-256 stands in for the ids.
 */
export const deliveryIdempotencyKey = (definitionId: string, triggerId: string, sourceId: string): string => {
  const readable = `trig:${definitionId}:${triggerId}:${sourceId}`;
  if (TOKEN_ID.test(readable)) return readable;
  const digest = createHash('sha256')
    .update(JSON.stringify([definitionId, triggerId, sourceId]))
    .digest('hex');
  return `trig:${definitionId}:sha256-${digest}`;
};

const parseObject = (body: Uint8Array): Record<string, unknown> | undefined => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * One delivery to `POST /v2/workflow/webhook-inbound/trigger`: find the trigger by API key,
 * definitionId and triggerId; check its secret (signature or bearer) over the raw body before
 * anything else is read; filter the event; then dispatch as `executions/dispatch` would, with the
 * source event id as idempotency key. Nothing is kept in this process.
 */
export class TriggerDelivery {
  constructor(private readonly deps: TriggerDeliveryDeps) {}

  async deliver(request: TriggerRequest): Promise<TriggerAnswer> {
    const apiKey = request.header('x-velt-api-key') ?? request.query('apiKey');
    if (!apiKey) return refuse(401, 'missing-api-key', 'send the API key in x-velt-api-key or ?apiKey=');
    const workspace = this.deps.registry.workspaceFor(apiKey);
    if (!workspace) return refuse(401, 'unknown-api-key', 'the API key is not registered on this server');
    // Counted before the definition is read: that read is the cost an unsigned flood would otherwise have for free.
    const limited = this.rateLimited(workspace.workspaceId);
    if (limited) return limited;

    // Only to find the ids of a velt delivery; nothing from an unverified body is trusted beyond that.
    const unverified = parseObject(request.body);
    const idOf = (name: 'definitionId' | 'triggerId'): string | undefined => {
      const fromBody = unverified?.[name];
      return request.query(name) ?? (typeof fromBody === 'string' ? fromBody : undefined);
    };
    const definitionId = idOf('definitionId');
    const triggerId = idOf('triggerId');
    if (!definitionId || !triggerId) {
      return refuse(
        400,
        'missing-trigger-id',
        'definitionId and triggerId are required (in the velt body, or as ?definitionId=&triggerId=)',
      );
    }
    const unknown = refuse(404, 'unknown-trigger', `definition ${definitionId} has no inbound trigger ${triggerId}`);
    if (!DefinitionIdSchema.safeParse(definitionId).success) return unknown;
    const record = await this.deps.definitions.get(workspace.workspaceId, definitionId);
    const trigger = record?.status === 'active' ? record.content.triggers?.find((entry) => entry.triggerId === triggerId) : undefined;
    const config = trigger?.inboundWebhook;
    const sealed = record?.content.triggerSecrets?.[triggerId];
    if (!record || !config || sealed === undefined) return unknown;
    if (!this.deps.secretBox) return refuse(503, 'not-configured', 'inbound triggers need APPROVAL_SECRETS_KEY on this server');

    if (!this.authentic(config, this.deps.secretBox.open(sealed), request)) {
      return refuse(401, 'bad-signature', "the delivery is not signed with the trigger's secret");
    }
    const body = unverified;
    if (!body) return refuse(400, 'invalid-json', 'the body must be a JSON object');
    const tooDeep = pathPastDepth(body);
    if (tooDeep !== null) return refuse(400, 'invalid-json', `${describeJsonPath(tooDeep)}: nested too deeply`);
    const payload = deliveredPayload(config, body);
    if (!payload) return refuse(400, 'invalid-json', 'payload must be a JSON object');
    if (!eventAllowed(config, eventName(config, request.header, body))) {
      return { status: 200, body: { ok: false, code: 'event-ignored', message: "the event is not in the trigger's allowedEvents" } };
    }
    const triggerContext = triggerContextOf(config, payload);
    if (serializedLength(triggerContext) > MAX_TRIGGER_CONTEXT_BYTES) {
      return refuse(413, 'payload-too-large', 'the triggerContext would exceed 256 KiB (serialized)');
    }
    const sourceId = sourceEventId(config, request.header, body);
    const { scope } = record.content;
    try {
      const result = await this.deps.dispatcher.dispatch(workspace.workspaceId, {
        definitionId,
        triggerContext,
        ...(sourceId === undefined ? {} : { idempotencyKey: deliveryIdempotencyKey(definitionId, triggerId, sourceId) }),
        // A triggered run carries its definition's scope; ids in the body never set it.
        ...(scope.organizationId === null ? {} : { organizationId: scope.organizationId }),
        ...(scope.documentId === null ? {} : { documentId: scope.documentId }),
      });
      return { status: 200, body: { ok: true, code: 'accepted', executionId: result.executionId, deduplicated: result.deduplicated } };
    } catch (error) {
      // Anything else (Temporal unavailable, …) is answered by the route like any endpoint's error.
      if (!(error instanceof EngineError)) throw error;
      if (error.status === 'NOT_FOUND') return unknown;
      const status = ENGINE_STATUS[error.status];
      if (status === undefined) throw error;
      return refuse(status, error.status.toLowerCase().replaceAll('_', '-'), error.message);
    }
  }

  private rateLimited(workspaceId: string): TriggerAnswer | undefined {
    const limit = this.deps.rateLimit;
    if (!limit) return undefined;
    const taken = limit.take(workspaceId);
    if (taken.taken) return undefined;
    const { perMinute, burst } = limit.rate;
    return {
      ...refuse(
        429,
        'rate-limited',
        `inbound deliveries to this workspace are limited to ${perMinute} per minute (bursts of ${burst}); retry after ${taken.retryAfterSeconds} s`,
      ),
      retryAfterSeconds: taken.retryAfterSeconds,
    };
  }

  private authentic(config: InboundWebhookTrigger, secret: string, request: TriggerRequest): boolean {
    if (config.authMode === 'bearer') return verifyBearer(secret, request.header('authorization'));
    const scheme = signatureScheme(config);
    return verifyHmac(scheme, secret, request.body, request.header(scheme.header));
  }
}
