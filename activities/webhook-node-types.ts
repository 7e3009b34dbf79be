import type { CallWebhook } from '../src/core/interpreter';

/** What the callWebhookNode activity gets: the interpreter's command, where the run is, and how to sign. */
export interface CallWebhookNodeInput {
  workspaceId: string;
  call: Omit<CallWebhook, 'kind'>;
  /** The run's webhook secret, sealed (dispatch or the definition's webhookConfig); null when it has none. */
  sealedSecret: string | null;
}

export interface WebhookCallReport {
  httpStatus: number;
  responseHeaders: Record<string, string>;
  responseJson?: unknown;
  responseText: string;
  latencyMs: number;
  attempt: number;
}

/** The details of the activity's failure (its ApplicationFailure `type` is the step's error code). */
export interface WebhookCallFailureDetails {
  attempt: number;
  httpStatus: number | null;
  latencyMs: number | null;
}

export const WEBHOOK_NODE_FAILURE = {
  httpStatus: 'webhook-node-http-status',
  unreachable: 'webhook-node-unreachable',
  urlRefused: 'webhook-node-url-refused',
  secretMissing: 'webhook-node-secret-missing',
  callbackUnavailable: 'webhook-node-callback-unavailable',
} as const;
