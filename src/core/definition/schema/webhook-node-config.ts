import { z } from 'zod';
import {
  HEADER_NAME,
  HEADER_NAME_MESSAGE,
  HEADER_VALUE,
  WEBHOOK_AUTH_MODES,
  WEBHOOK_BODY_TEMPLATES,
  WEBHOOK_METHODS,
  WEBHOOK_MODES,
  WEBHOOK_NODE_LIMITS,
  webhookNodeCrossFieldProblems,
} from './webhook-node-rules';

/*
 * A live webhook node's config (docs/inbound.md, "Webhook nodes"). Every field but `url` has a
 * default; the rules between fields are checked in `superRefine` so their messages name the field.
 */

export { BODY_NONE_MESSAGE, isReservedHeader, TOKEN_HEADER_MESSAGE, WEBHOOK_NODE_LIMITS } from './webhook-node-rules';

const headerName = z.string().regex(HEADER_NAME, HEADER_NAME_MESSAGE);

export const WebhookNodeConfigSchema = z
  .strictObject({
    url: z
      .string()
      .min(1)
      .max(WEBHOOK_NODE_LIMITS.urlMaxChars)
      .meta({ description: 'https; checked like webhookUrl at write time and before every call.' }),
    mode: z
      .enum(WEBHOOK_MODES)
      .optional()
      .meta({ description: 'sync (default): the answer completes the step; async: the step waits for the callback.' }),
    method: z.enum(WEBHOOK_METHODS).optional().meta({ description: 'Default POST.' }),
    authMode: z.enum(WEBHOOK_AUTH_MODES).optional().meta({ description: "Default hmac (x-velt-signature with the run's webhook secret)." }),
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
    bodyTemplate: z.enum(WEBHOOK_BODY_TEMPLATES).optional().meta({ description: 'Default envelope; none requires GET.' }),
    requestHeaders: z
      .record(
        headerName,
        z.string().max(WEBHOOK_NODE_LIMITS.headerValueMaxChars).regex(HEADER_VALUE, 'must not contain control characters'),
      )
      .optional()
      .meta({ description: 'Extra headers; x-velt-*, webhook-* and reserved names are refused.' }),
  })
  .superRefine((config, ctx) => {
    for (const problem of webhookNodeCrossFieldProblems(config)) ctx.addIssue({ code: 'custom', ...problem });
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
