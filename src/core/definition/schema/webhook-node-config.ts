import { z } from 'zod';

/*
 * A live webhook node's config (docs/inbound.md, "Webhook nodes"). Every field but `url` has a
 * default; the rules between fields are checked in `superRefine` so their messages name the field.
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

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
// No control characters: a value may never split a header or the request.
const HEADER_VALUE = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/;

const headerName = z.string().regex(HEADER_NAME, 'must be an HTTP header name (token characters, at most 256)');

export const WebhookNodeConfigSchema = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .max(WEBHOOK_NODE_LIMITS.urlMaxChars)
      .meta({ description: 'https; checked like webhookUrl at write time and before every call.' }),
    mode: z
      .enum(['sync', 'async'])
      .optional()
      .meta({ description: 'sync (default): the answer completes the step; async: the step waits for the callback.' }),
    method: z.enum(['GET', 'POST']).optional().meta({ description: 'Default POST.' }),
    authMode: z
      .enum(['hmac', 'token', 'none'])
      .optional()
      .meta({ description: "Default hmac (x-velt-signature with the run's webhook secret)." }),
    authTokenHeader: headerName
      .max(WEBHOOK_NODE_LIMITS.authTokenHeaderMaxChars)
      .optional()
      .meta({ description: 'authMode token: the header carrying triggerContext.webhookAuth[<nodeId>].' }),
    timeoutMs: z
      .number()
      .int()
      .min(WEBHOOK_NODE_LIMITS.timeoutMs.min)
      .max(WEBHOOK_NODE_LIMITS.timeoutMs.max)
      .optional()
      .meta({ description: 'Per attempt, 1000-60000 (default 10000).' }),
    expectedStatusCodes: z
      .array(z.number().int().min(100).max(599))
      .max(WEBHOOK_NODE_LIMITS.expectedStatusCodesMax)
      .optional()
      .meta({ description: 'Statuses that complete the step besides 2xx.' }),
    bodyTemplate: z.enum(['envelope', 'pass-through', 'none']).optional().meta({ description: 'Default envelope; none requires GET.' }),
    requestHeaders: z
      .record(
        headerName,
        z.string().max(WEBHOOK_NODE_LIMITS.headerValueMaxChars).regex(HEADER_VALUE, 'must not contain control characters'),
      )
      .optional()
      .meta({ description: 'Extra headers; x-velt-*, webhook-* and reserved names are refused.' }),
  })
  .superRefine((config, ctx) => {
    if ((config.authMode ?? 'hmac') === 'token' && config.authTokenHeader === undefined) {
      ctx.addIssue({ code: 'custom', path: ['authTokenHeader'], message: TOKEN_HEADER_MESSAGE });
    }
    if (config.authTokenHeader !== undefined && isReservedHeader(config.authTokenHeader)) {
      ctx.addIssue({ code: 'custom', path: ['authTokenHeader'], message: `"${config.authTokenHeader}" is a reserved header name` });
    }
    if (config.bodyTemplate === 'none' && (config.method ?? 'POST') !== 'GET') {
      ctx.addIssue({ code: 'custom', path: ['bodyTemplate'], message: BODY_NONE_MESSAGE });
    }
    const headers = Object.keys(config.requestHeaders ?? {});
    if (headers.length > WEBHOOK_NODE_LIMITS.requestHeadersMax) {
      ctx.addIssue({ code: 'custom', path: ['requestHeaders'], message: `at most ${WEBHOOK_NODE_LIMITS.requestHeadersMax} headers` });
    }
    for (const name of headers) {
      if (isReservedHeader(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requestHeaders', name],
          message: `"${name}" is a reserved header name (x-velt-*, webhook-* and hop-by-hop headers are set by the engine)`,
        });
      }
    }
  })
  .meta({ description: 'A live webhook node (docs/inbound.md, "Webhook nodes").' });
export type WebhookNodeConfig = z.infer<typeof WebhookNodeConfigSchema>;

/** Definition-level `webhookConfig`: where every run's events go unless the dispatch names its own target. */
export const DefinitionWebhookConfigSchema = z
  .strictObject({
    url: z.string().min(1).max(2000),
    secret: z.string().min(16).max(512),
    eventTypes: z.array(z.string().min(1).max(128)).max(50).optional(),
  })
  .meta({
    description: 'Write-only (never in a view); the secret is sealed. A dispatch webhookUrl/webhookSecret replaces it for that run.',
  });
export type DefinitionWebhookConfig = z.infer<typeof DefinitionWebhookConfigSchema>;
