/*
 * The routes that answer outside the `{ data }` envelope and the token headers (docs/inbound.md,
 * "Inbound triggers"), described for /openapi.json beside the generated endpoints.
 */

const answer = {
  type: 'object',
  required: ['ok', 'code'],
  properties: {
    ok: { type: 'boolean' },
    code: {
      type: 'string',
      description:
        'accepted, event-ignored, or why it was refused: missing-api-key, unknown-api-key, missing-trigger-id, unknown-trigger, bad-signature, invalid-json, body-too-large, payload-too-large, not-configured',
    },
    message: { type: 'string' },
    executionId: {
      type: 'string',
      description: 'With code accepted: the run started (or the one an earlier delivery of the same event started).',
    },
    deduplicated: { type: 'boolean', description: 'With code accepted: true when the source event id was delivered before (24 h).' },
  },
};

const json = (description: string) => ({ description, content: { 'application/json': { schema: answer } } });

const query = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
const header = (name: string, description: string) => ({ name, in: 'header', required: false, schema: { type: 'string' }, description });

export const INBOUND_TRIGGER_PATH = '/v2/workflow/webhook-inbound/trigger';

/** `POST /v2/workflow/webhook-inbound/trigger`: authenticated by the trigger's own secret, never by the API tokens. */
export const rawRoutePaths = (): Record<string, unknown> => ({
  [INBOUND_TRIGGER_PATH]: {
    post: {
      summary: 'Start a run from an inbound webhook trigger (GitHub, Vercel, custom or velt senders); see docs/inbound.md',
      operationId: 'webhook-inbound.trigger',
      security: [],
      parameters: [
        query('apiKey', 'The workspace API key, when the sender cannot set x-velt-api-key.'),
        query('definitionId', 'The definition; a velt delivery may carry it in the body instead.'),
        query('triggerId', 'The inboundWebhook trigger; a velt delivery may carry it in the body instead.'),
        header('x-velt-api-key', 'The workspace API key.'),
        header('x-hub-signature-256', 'github: sha256=<HMAC-SHA256 of the raw body under the trigger secret>.'),
        header('x-vercel-signature', 'vercel: <HMAC-SHA1 of the raw body under the trigger secret>.'),
        header('x-velt-signature', 'velt: sha256=<HMAC-SHA256 of the raw body>; a custom provider names its own header and prefix.'),
        header('authorization', 'velt with authMode bearer: Bearer <trigger secret>.'),
      ],
      requestBody: {
        required: true,
        description: "The sender's raw JSON object, at most 1 MiB; signatures are checked over these exact bytes.",
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      responses: {
        '200': json('accepted (a run started, or deduplicated) or event-ignored (filtered by allowedEvents)'),
        '400': json('missing-trigger-id or invalid-json'),
        '401': json('missing-api-key, unknown-api-key or bad-signature'),
        '404': json('unknown-trigger'),
        '413': json('body-too-large (over 1 MiB) or payload-too-large (triggerContext over 256 KiB)'),
        '429': json(
          "rate-limited (the workspace's inbound budget is spent; Retry-After says when to retry) or resource-exhausted (a workspace limit)",
        ),
        '503': json('not-configured (APPROVAL_SECRETS_KEY is not set)'),
      },
    },
  },
});
