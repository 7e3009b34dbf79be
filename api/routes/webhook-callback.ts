import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { MAX_JSON_DEPTH, pathPastDepth } from '../../src/core/json-depth';
import { storableText } from '../../src/core/requests/common';
import { describeZodError, formatIssuePath } from '../../src/core/zod-message';
import type { Logger } from '../../src/infra/logger';
import { CALLBACK_PATH_PREFIX, CALLBACK_TOKEN_HEADER, CALLBACK_WORKSPACE_PARAM } from '../../src/infra/webhook-callback-token';
import type { WorkspaceBudget } from '../../src/core/limits/token-buckets';
import type { WebhookCallbacks } from '../../src/infra/temporal/webhook-callbacks';
import { toEngineError } from '../error-mapper';

export const MAX_CALLBACK_BYTES = 1024 * 1024;

/** `{ status, output?, error? }`, as the receiver of an async webhook node sends it (docs/inbound.md, "The callback contract"). */
export const CallbackBodySchema = z.strictObject({
  status: z.enum(['completed', 'failed']),
  output: z.record(z.string(), z.unknown()).optional(),
  error: z.record(z.string(), z.unknown()).optional(),
});

const BAD_TOKEN = `${CALLBACK_TOKEN_HEADER}: missing, or not a token this step issued`;

/** Path ids are bounded like every id the engine hands out. */
// Ids reach Temporal: no U+0000 nor lone surrogate (docs/api.md, "Common formats").
const IdSchema = storableText(z.string().min(1).max(512));

type CallbackCode =
  'body-too-large' | 'invalid-argument' | 'bad-token' | 'rate-limited' | 'unknown-step' | 'step-not-waiting' | 'unavailable' | 'internal';

const refuse = (c: Context, status: 400 | 401 | 404 | 409 | 413 | 429 | 500 | 503, code: CallbackCode, message: string): Response =>
  c.json({ ok: false, code, message }, status);

export interface CallbackRouteOptions {
  /** Whether the workspace is one this engine knows; a callback to any other is refused unread. */
  knowsWorkspace: (workspaceId: string) => boolean;
  /** The workspaces' callback budgets (docs/operations.md, "Rate limits"); absent: no limit. */
  rateLimit?: WorkspaceBudget | undefined;
}

/**
 * `POST /v2/workflow/webhook-inbound/callback/{executionId}/{stepId}?ws=<workspace>`: raw JSON, no
 * `{data}` envelope and no API credentials; authenticated by the `x-velt-callback-token` the call
 * carried. Registered ahead of the API's body limit and token middleware.
 */
export const webhookCallbackRoutes = (callbacks: WebhookCallbacks, logger: Logger, options: CallbackRouteOptions): Hono => {
  const app = new Hono();
  app.post(
    `${CALLBACK_PATH_PREFIX}/:executionId/:stepId`,
    bodyLimit({
      maxSize: MAX_CALLBACK_BYTES,
      onError: (c) => {
        c.header('Connection', 'close');
        return refuse(c, 413, 'body-too-large', 'the callback body exceeds 1 MiB');
      },
    }),
    async (c) => {
      const executionId = IdSchema.safeParse(c.req.param('executionId'));
      const stepId = IdSchema.safeParse(c.req.param('stepId'));
      if (!executionId.success || !stepId.success)
        return refuse(c, 400, 'invalid-argument', 'executionId/stepId: must be 1-512 characters, well-formed Unicode without U+0000');
      const workspace = IdSchema.safeParse(c.req.query(CALLBACK_WORKSPACE_PARAM));
      if (!workspace.success) {
        return refuse(
          c,
          400,
          'invalid-argument',
          `${CALLBACK_WORKSPACE_PARAM}: required query parameter (use the callback URL exactly as the engine sent it)`,
        );
      }
      // Looking the token up costs Temporal a query: neither an unknown workspace nor a spent budget gets that far.
      if (!options.knowsWorkspace(workspace.data)) {
        return refuse(c, 401, 'bad-token', BAD_TOKEN);
      }
      const limit = options.rateLimit;
      const taken = limit?.take(workspace.data);
      if (limit && taken && !taken.taken) {
        c.header('Retry-After', String(taken.retryAfterSeconds));
        const { perMinute, burst } = limit.rate;
        return refuse(
          c,
          429,
          'rate-limited',
          `callbacks to this workspace are limited to ${perMinute} per minute (bursts of ${burst}); retry after ${taken.retryAfterSeconds} s`,
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(await c.req.text());
      } catch {
        return refuse(c, 400, 'invalid-argument', 'body: not valid JSON');
      }
      const deep = pathPastDepth(json);
      if (deep !== null)
        return refuse(c, 400, 'invalid-argument', `${formatIssuePath(deep, 'body')}: nested more than ${MAX_JSON_DEPTH} levels deep`);
      const body = CallbackBodySchema.safeParse(json);
      if (!body.success) return refuse(c, 400, 'invalid-argument', describeZodError(body.error, 'body')[0] ?? 'body: invalid');
      try {
        const outcome = await callbacks.receive(workspace.data, executionId.data, c.req.header(CALLBACK_TOKEN_HEADER), {
          stepId: stepId.data,
          ...body.data,
        });
        if (outcome.kind === 'bad-token') {
          return refuse(c, 401, 'bad-token', BAD_TOKEN);
        }
        return c.json({ ok: true, stepId: outcome.reply.stepId, status: outcome.reply.status });
      } catch (error) {
        const engineError = toEngineError(error);
        switch (engineError.status) {
          case 'FAILED_PRECONDITION':
            return refuse(c, 409, 'step-not-waiting', engineError.message);
          case 'NOT_FOUND':
            return refuse(c, 404, 'unknown-step', engineError.message);
          case 'UNAVAILABLE':
          case 'DEADLINE_EXCEEDED':
            return refuse(c, 503, 'unavailable', engineError.message);
          default:
            logger.error({ err: error, path: c.req.path }, 'webhook callback failed');
            return refuse(c, 500, 'internal', 'internal error');
        }
      }
    },
  );
  return app;
};
