import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * The token an async webhook step's callback must carry (docs/inbound.md, "The callback contract"):
 * HMAC-SHA256 over `executionId:stepId:attempt`, keyed with the run's webhook secret, or with the
 * engine's APPROVAL_SECRETS_KEY when the run has none. `attempt` is the call attempt that sent it,
 * so every attempt's token completes the step while it waits, and none does after.
 */

export const CALLBACK_TOKEN_HEADER = 'x-velt-callback-token';
export const CALLBACK_PATH_PREFIX = '/v2/workflow/webhook-inbound/callback';
/** The query parameter naming the run's workspace (the callback carries no API credentials). */
export const CALLBACK_WORKSPACE_PARAM = 'ws';
/** As many as a webhook node's call makes at most (workflows/execution/webhook-calls.ts). */
export const MAX_CALL_ATTEMPTS = 5;

export type CallbackKey = { kind: 'run-secret'; secret: string } | { kind: 'engine-key'; base64Key: string };

const keyBytes = (key: CallbackKey): Buffer =>
  key.kind === 'run-secret'
    ? Buffer.from(key.secret, 'utf8')
    : // Separated from every other use of the engine's key.
      createHmac('sha256', Buffer.from(key.base64Key, 'base64')).update('approval-engine/webhook-callback-token').digest();

const mac = (key: CallbackKey, executionId: string, stepId: string, attempt: number): Buffer =>
  createHmac('sha256', keyBytes(key)).update(`${executionId}:${stepId}:${attempt}`, 'utf8').digest();

export const callbackToken = (key: CallbackKey, executionId: string, stepId: string, attempt: number): string =>
  mac(key, executionId, stepId, attempt).toString('hex');

/** Whether `token` is the token of one of the step's call attempts; every comparison runs in constant time. */
export const verifyCallbackToken = (key: CallbackKey, executionId: string, stepId: string, token: string | undefined): boolean => {
  if (token === undefined || !/^[0-9a-f]{64}$/i.test(token)) return false;
  const given = Buffer.from(token, 'hex');
  let valid = false;
  for (let attempt = 1; attempt <= MAX_CALL_ATTEMPTS; attempt += 1) {
    if (timingSafeEqual(given, mac(key, executionId, stepId, attempt))) valid = true;
  }
  return valid;
};

/** Where the receiver calls back; the workspace rides along because the callback carries no API key. */
export const callbackUrl = (publicBaseUrl: string, workspaceId: string, executionId: string, stepId: string): string =>
  `${publicBaseUrl.replace(/\/+$/, '')}${CALLBACK_PATH_PREFIX}/${encodeURIComponent(executionId)}/${encodeURIComponent(stepId)}?${CALLBACK_WORKSPACE_PARAM}=${encodeURIComponent(workspaceId)}`;
