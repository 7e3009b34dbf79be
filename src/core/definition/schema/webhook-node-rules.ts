import type { WebhookNodeConfig } from './webhook-node-config';

/*
 * The rules of a live webhook node's config (docs/inbound.md, "Webhook nodes") in plain code, no
 * zod: the write-time schema (webhook-node-config.ts) applies the cross-field rules below, and the
 * plan, which runs inside the workflow bundle, narrows a stored config with `runnableWebhookConfig`.
 */

export const WEBHOOK_NODE_LIMITS = {
  urlMaxChars: 2000,
  timeoutMs: { min: 1000, max: 60_000, default: 10_000 },
  expectedStatusCodesMax: 20,
  authTokenHeaderMaxChars: 500,
  requestHeadersMax: 50,
  headerValueMaxChars: 2000,
} as const;

export const TOKEN_HEADER_MESSAGE = 'webhook node with authMode="token" requires authTokenHeader to be set';
export const BODY_NONE_MESSAGE = 'bodyTemplate "none" requires method "GET"';

export const WEBHOOK_MODES = ['sync', 'async'] as const;
export const WEBHOOK_METHODS = ['GET', 'POST'] as const;
export const WEBHOOK_AUTH_MODES = ['hmac', 'token', 'none'] as const;
export const WEBHOOK_BODY_TEMPLATES = ['envelope', 'pass-through', 'none'] as const;

/** Set by the engine on every call, or meaningless to override: a node may not send its own. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'user-agent',
]);
const RESERVED_PREFIXES = ['x-velt-', 'webhook-', 'proxy-'];

/** A header name the engine sets itself or that hop-by-hop semantics own. */
export const isReservedHeader = (name: string): boolean => {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
};

export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
export const HEADER_NAME_MESSAGE = 'must be an HTTP header name (token characters, at most 256)';
// No control characters: a value may never split a header or the request.
export const HEADER_VALUE = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/;

export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

/** The rules between fields, on a config whose fields each have the right type. */
export const webhookNodeCrossFieldProblems = (config: WebhookNodeConfig): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  if ((config.authMode ?? 'hmac') === 'token' && config.authTokenHeader === undefined) {
    problems.push({ path: ['authTokenHeader'], message: TOKEN_HEADER_MESSAGE });
  }
  if (config.authTokenHeader !== undefined && isReservedHeader(config.authTokenHeader)) {
    problems.push({ path: ['authTokenHeader'], message: `"${config.authTokenHeader}" is a reserved header name` });
  }
  if (config.bodyTemplate === 'none' && (config.method ?? 'POST') !== 'GET') {
    problems.push({ path: ['bodyTemplate'], message: BODY_NONE_MESSAGE });
  }
  const headers = Object.keys(config.requestHeaders ?? {});
  if (headers.length > WEBHOOK_NODE_LIMITS.requestHeadersMax) {
    problems.push({ path: ['requestHeaders'], message: `at most ${WEBHOOK_NODE_LIMITS.requestHeadersMax} headers` });
  }
  for (const name of headers) {
    if (isReservedHeader(name)) {
      problems.push({
        path: ['requestHeaders', name],
        message: `"${name}" is a reserved header name (x-velt-*, webhook-* and hop-by-hop headers are set by the engine)`,
      });
    }
  }
  return problems;
};

const isString = (value: unknown, maxChars: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= maxChars;
const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => (values as readonly unknown[]).includes(value);
const isIntIn = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const FIELDS = new Set([
  'url',
  'mode',
  'method',
  'authMode',
  'authTokenHeader',
  'timeoutMs',
  'expectedStatusCodes',
  'bodyTemplate',
  'requestHeaders',
]);

/** The first field that breaks its own rule, as `field: what it must be`, or null. */
const fieldProblem = (config: Record<string, unknown>): string | null => {
  const unknown = Object.keys(config).find((key) => !FIELDS.has(key));
  if (unknown !== undefined) return `${unknown}: unknown field`;
  const { url, mode, method, authMode, authTokenHeader, timeoutMs, expectedStatusCodes, bodyTemplate, requestHeaders } = config;
  if (!isString(url, WEBHOOK_NODE_LIMITS.urlMaxChars)) return `url: required, 1 to ${WEBHOOK_NODE_LIMITS.urlMaxChars} characters`;
  if (mode !== undefined && !oneOf(WEBHOOK_MODES, mode)) return `mode: one of ${WEBHOOK_MODES.join(', ')}`;
  if (method !== undefined && !oneOf(WEBHOOK_METHODS, method)) return `method: one of ${WEBHOOK_METHODS.join(', ')}`;
  if (authMode !== undefined && !oneOf(WEBHOOK_AUTH_MODES, authMode)) return `authMode: one of ${WEBHOOK_AUTH_MODES.join(', ')}`;
  if (
    authTokenHeader !== undefined &&
    !(isString(authTokenHeader, WEBHOOK_NODE_LIMITS.authTokenHeaderMaxChars) && HEADER_NAME.test(authTokenHeader))
  ) {
    return `authTokenHeader: ${HEADER_NAME_MESSAGE}`;
  }
  const { min, max } = WEBHOOK_NODE_LIMITS.timeoutMs;
  if (timeoutMs !== undefined && !isIntIn(timeoutMs, min, max)) return `timeoutMs: an integer from ${min} to ${max}`;
  if (
    expectedStatusCodes !== undefined &&
    !(
      Array.isArray(expectedStatusCodes) &&
      expectedStatusCodes.length <= WEBHOOK_NODE_LIMITS.expectedStatusCodesMax &&
      expectedStatusCodes.every((code) => isIntIn(code, 100, 599))
    )
  ) {
    return `expectedStatusCodes: at most ${WEBHOOK_NODE_LIMITS.expectedStatusCodesMax} integers from 100 to 599`;
  }
  if (bodyTemplate !== undefined && !oneOf(WEBHOOK_BODY_TEMPLATES, bodyTemplate)) {
    return `bodyTemplate: one of ${WEBHOOK_BODY_TEMPLATES.join(', ')}`;
  }
  if (requestHeaders !== undefined) {
    if (!isRecord(requestHeaders)) return 'requestHeaders: an object of header names to strings';
    for (const [name, value] of Object.entries(requestHeaders)) {
      if (!HEADER_NAME.test(name)) return `requestHeaders.${name}: ${HEADER_NAME_MESSAGE}`;
      if (typeof value !== 'string' || value.length > WEBHOOK_NODE_LIMITS.headerValueMaxChars || !HEADER_VALUE.test(value)) {
        return `requestHeaders.${name}: a string of at most ${WEBHOOK_NODE_LIMITS.headerValueMaxChars} characters without control characters`;
      }
    }
  }
  return null;
};

/**
 * A stored webhook node's config as the plan uses it, or why it cannot run (`config.<field>: …`).
 * Configs written since webhook nodes run passed the schema at write time and always pass; a
 * record stored before then may hold anything, and its step fails instead of calling out.
 */
export const runnableWebhookConfig = (config: Record<string, unknown>): WebhookNodeConfig | string => {
  const problem = fieldProblem(config);
  if (problem !== null) return `config.${problem}`;
  const checked = config as WebhookNodeConfig;
  const [crossField] = webhookNodeCrossFieldProblems(checked);
  return crossField === undefined ? checked : `config.${crossField.path.join('.')}: ${crossField.message}`;
};
