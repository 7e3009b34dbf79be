import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { IncomingHttpHeaders } from 'node:http';
import { postToCheckedUrl, type CheckedUrlOutcome } from '../src/infra/outbound/checked-url-post';
import type { LookupAll } from '../src/infra/outbound/ssrf-guard';
import { SIGNATURE_HEADER, signBody, standardWebhookHeaders } from '../src/infra/request-signing';
import type { SecretBox } from '../src/infra/secrets/secret-box';
import { CALLBACK_TOKEN_HEADER, callbackToken, callbackUrl, type CallbackKey } from '../src/infra/webhook-callback-token';
import { heartbeatWhile } from './heartbeat';
import {
  WEBHOOK_NODE_FAILURE,
  type CallWebhookNodeInput,
  type WebhookCallFailureDetails,
  type WebhookCallReport,
} from './webhook-node-types';

/** `responseText` is at most this long (docs/inbound.md, "Webhook nodes"). */
export const MAX_WEBHOOK_RESPONSE_BYTES = 64 * 1024;
export const WEBHOOK_NODE_USER_AGENT = 'approval-engine-webhook-node';

/** The answer's headers a step output keeps; the rest (cookies, server details) stay out of history. */
const RESPONSE_HEADER_ALLOWLIST = [
  'content-type',
  'content-length',
  'etag',
  'last-modified',
  'location',
  'retry-after',
  'x-request-id',
  'request-id',
];

export interface WebhookNodeDeps {
  secretBox: SecretBox | undefined;
  /** APPROVAL_SECRETS_KEY: keys the callback token of a run without a webhook secret. */
  secretsKey: string | undefined;
  allowPrivateTargets: boolean;
  /** APPROVAL_PUBLIC_URL: where receivers reach the callback route. */
  publicUrl: string | undefined;
  /** The resolver (tests inject one); default DNS. */
  lookup?: LookupAll;
}

const fail = (code: string, message: string, details: WebhookCallFailureDetails, retryable: boolean): ApplicationFailure =>
  retryable ? ApplicationFailure.retryable(message, code, details) : ApplicationFailure.nonRetryable(message, code, details);

const allowlisted = (headers: IncomingHttpHeaders): Record<string, string> => {
  const kept: Record<string, string> = {};
  for (const name of RESPONSE_HEADER_ALLOWLIST) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = value;
  }
  return kept;
};

const parseJson = (text: string, contentType: string | undefined): unknown => {
  if (text.trim() === '' || !/json/i.test(contentType ?? 'application/json')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** The request body per `bodyTemplate` (a GET has none); the async callback rides in it and in headers. */
export const webhookNodeBody = (
  input: CallWebhookNodeInput,
  attempt: number,
  callback: { url: string; token: string } | null,
): string | null => {
  const { call } = input;
  if (call.method === 'GET' || call.bodyTemplate === 'none') return null;
  if (call.bodyTemplate === 'pass-through') {
    const velt = callback
      ? { _velt: { callbackUrl: callback.url, callbackToken: callback.token, callbackTokenHeader: CALLBACK_TOKEN_HEADER } }
      : {};
    return JSON.stringify({ ...call.payload.input, ...velt });
  }
  return JSON.stringify({
    event: 'webhook-node.called',
    ...call.payload,
    mode: call.mode,
    attempt,
    ...(callback ? { callback: { url: callback.url, token: callback.token, tokenHeader: CALLBACK_TOKEN_HEADER } } : {}),
  });
};

const openSecret = (deps: WebhookNodeDeps, input: CallWebhookNodeInput, details: WebhookCallFailureDetails): string | null => {
  if (input.sealedSecret === null) return null;
  if (!deps.secretBox)
    throw fail(WEBHOOK_NODE_FAILURE.secretMissing, 'APPROVAL_SECRETS_KEY is not configured on the worker', details, false);
  try {
    return deps.secretBox.open(input.sealedSecret);
  } catch {
    throw fail(
      WEBHOOK_NODE_FAILURE.secretMissing,
      "the run's webhook secret cannot be opened with this worker's APPROVAL_SECRETS_KEY",
      details,
      false,
    );
  }
};

const callbackOf = (
  deps: WebhookNodeDeps,
  input: CallWebhookNodeInput,
  secret: string | null,
  attempt: number,
  details: WebhookCallFailureDetails,
): { url: string; token: string } | null => {
  const { call } = input;
  if (call.mode !== 'async') return null;
  const key: CallbackKey | null =
    secret !== null ? { kind: 'run-secret', secret } : deps.secretsKey ? { kind: 'engine-key', base64Key: deps.secretsKey } : null;
  if (key === null || deps.publicUrl === undefined) {
    const missing = key === null ? 'APPROVAL_SECRETS_KEY (or a run webhook secret)' : 'APPROVAL_PUBLIC_URL';
    throw fail(
      WEBHOOK_NODE_FAILURE.callbackUnavailable,
      `async webhook node ${call.nodeId} needs ${missing} on the worker to issue its callback`,
      details,
      false,
    );
  }
  return {
    url: callbackUrl(deps.publicUrl, input.workspaceId, call.payload.executionId, call.stepId),
    token: callbackToken(key, call.payload.executionId, call.stepId, attempt),
  };
};

const requestHeaders = (
  input: CallWebhookNodeInput,
  secret: string | null,
  body: string | null,
  attempt: number,
  callback: { url: string; token: string } | null,
) => {
  const { call } = input;
  const messageId = `${call.stepId}:${attempt}`;
  const signed = body ?? '';
  return {
    ...call.requestHeaders,
    ...(body === null ? {} : { 'content-type': 'application/json' }),
    'user-agent': WEBHOOK_NODE_USER_AGENT,
    'x-velt-execution-id': call.payload.executionId,
    'x-velt-step-id': call.stepId,
    'x-velt-attempt': String(attempt),
    ...(callback ? { 'x-velt-callback-url': callback.url, [CALLBACK_TOKEN_HEADER]: callback.token } : {}),
    ...(call.authMode === 'hmac' && secret !== null
      ? {
          [SIGNATURE_HEADER]: signBody(secret, signed),
          ...standardWebhookHeaders([secret], messageId, Math.floor(Date.now() / 1000), signed),
        }
      : {}),
    ...(call.authMode === 'token' && call.authTokenHeader !== null && call.authToken !== null
      ? { [call.authTokenHeader]: call.authToken }
      : {}),
  };
};

/**
 * Classifies the outcome (docs/inbound.md, "Webhook nodes"): 2xx or a listed status completes; a
 * 4xx, a refused URL or any other status is final; a 5xx, a timeout or a network error is retried.
 */
const classify = (input: CallWebhookNodeInput, outcome: CheckedUrlOutcome, attempt: number, latencyMs: number): WebhookCallReport => {
  const { call } = input;
  const base = { attempt, latencyMs, httpStatus: null };
  switch (outcome.kind) {
    case 'refused':
      if (outcome.reason === 'ssrf-blocked') throw fail(WEBHOOK_NODE_FAILURE.urlRefused, outcome.message, base, false);
      throw fail(WEBHOOK_NODE_FAILURE.unreachable, outcome.message, base, true);
    case 'unanswered':
      if (outcome.cause === 'aborted') throw new CancelledFailure('the webhook call was cancelled');
      throw fail(
        WEBHOOK_NODE_FAILURE.unreachable,
        `webhook node ${call.nodeId}: the receiver could not be reached or did not answer within ${call.timeoutMs} ms`,
        base,
        true,
      );
    case 'answered': {
      const { status } = outcome;
      const details = { ...base, httpStatus: status };
      const succeeded = (status >= 200 && status < 300) || call.expectedStatusCodes.includes(status);
      if (!succeeded) {
        throw fail(
          WEBHOOK_NODE_FAILURE.httpStatus,
          `webhook node ${call.nodeId}: the receiver answered HTTP ${status}`,
          details,
          status >= 500,
        );
      }
      const text = outcome.body.toString('utf8');
      const contentType = typeof outcome.headers['content-type'] === 'string' ? outcome.headers['content-type'] : undefined;
      const json = outcome.end === 'complete' ? parseJson(text, contentType) : undefined;
      return {
        httpStatus: status,
        responseHeaders: allowlisted(outcome.headers),
        ...(json === undefined ? {} : { responseJson: json }),
        responseText: text,
        latencyMs,
        attempt,
      };
    }
  }
};

/**
 * The callWebhookNode activity: one attempt of a webhook node's call, through the same outbound
 * rules as webhooks (the URL resolved and checked before every attempt, the checked address
 * connected to, no redirect followed, the answer read up to 64 KiB). Failures carry their code as
 * the ApplicationFailure type and `{ attempt, httpStatus, latencyMs }` as details; a final one is
 * non-retryable.
 */
export const createCallWebhookNode =
  (deps: WebhookNodeDeps) =>
  async (input: CallWebhookNodeInput): Promise<WebhookCallReport> => {
    const context = Context.current();
    const { attempt } = context.info;
    const { call } = input;
    const details: WebhookCallFailureDetails = { attempt, httpStatus: null, latencyMs: null };
    const secret = openSecret(deps, input, details);
    if (call.authMode === 'hmac' && secret === null) {
      throw fail(
        WEBHOOK_NODE_FAILURE.secretMissing,
        `webhook node ${call.nodeId} uses authMode "hmac" but the run has no webhook secret (dispatch webhookSecret or the definition's webhookConfig)`,
        details,
        false,
      );
    }
    const callback = callbackOf(deps, input, secret, attempt, details);
    const body = webhookNodeBody(input, attempt, callback);
    const startedAt = Date.now();
    const outcome = await heartbeatWhile(() =>
      postToCheckedUrl(call.url, {
        allowPrivate: deps.allowPrivateTargets,
        ...(deps.lookup ? { lookup: deps.lookup } : {}),
        subject: `webhook node ${call.nodeId} url`,
        method: call.method,
        headers: requestHeaders(input, secret, body, attempt, callback),
        body: Buffer.from(body ?? '', 'utf8'),
        maxResponseBytes: MAX_WEBHOOK_RESPONSE_BYTES,
        deadline: startedAt + call.timeoutMs,
        signal: context.cancellationSignal,
      }),
    );
    if (outcome.kind === 'unanswered' && outcome.cause !== 'aborted')
      context.log.warn('webhook node call failed', { stepId: call.stepId, attempt, detail: outcome.detail });
    return classify(input, outcome, attempt, Date.now() - startedAt);
  };
