import { createHash, timingSafeEqual } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { EngineError } from '../../src/core/errors';
import { PayloadDecryptionError } from '../../src/infra/payload-codec/aes-gcm-codec';
import { errorResponse } from '../error-mapper';
import { HTTP_STATUS } from '../http-status';

export interface CodecEndpointOptions {
  codec: PayloadCodec;
  /** APPROVAL_OPERATOR_TOKEN: opens every workspace's payloads, so it is an operator's credential, not a tenant's. */
  operatorToken: string;
  /** Browser origins of the Temporal Web UI allowed to call the endpoint (CORS). */
  corsOrigins: readonly string[];
}

// A Web UI request carries one event's payloads; each may be up to Temporal's 2 MiB blob limit.
const MAX_CODEC_BODY_BYTES = 4 * 1024 * 1024;
const MAX_PAYLOADS = 1000;
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/** The codec server protocol: Temporal's Payloads message in proto3 JSON (bytes as base64). */
const PayloadsJsonSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }).loose()).max(MAX_PAYLOADS),
});
type PayloadsJson = z.infer<typeof PayloadsJsonSchema>;

const fromJson = ({ payloads }: PayloadsJson) =>
  payloads.map((payload) => ({
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
    data: Buffer.from(payload.data ?? '', 'base64'),
  }));

const toJson = (payloads: Awaited<ReturnType<PayloadCodec['decode']>>): PayloadsJson => ({
  payloads: payloads.map((payload) => ({
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  })),
});

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** `Authorization: Bearer <token>` (temporal CLI `--codec-auth`), or Basic with the token as password (a browser). */
const presentedToken = (header: string | undefined): string | undefined => {
  const [scheme, value] = (header ?? '').split(/\s+/, 2);
  if (!value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value;
  if (scheme?.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1);
};

/**
 * `POST /codec/encode` and `POST /codec/decode`: the remote codec the Temporal Web UI and CLI call to
 * show encrypted payloads in clear (docs/operations.md#payload-encryption).
 */
export const codecRoutes = ({ codec, operatorToken, corsOrigins }: CodecEndpointOptions): Hono => {
  const expected = digest(operatorToken);
  const app = new Hono();
  app.use(
    '*',
    cors({
      origin: (origin) => (corsOrigins.includes(origin) ? origin : null),
      allowMethods: ['POST'],
      allowHeaders: ['content-type', 'x-namespace', 'authorization'],
      credentials: true,
      maxAge: 600,
    }),
  );
  app.use('*', async function authenticateOperator(c, next) {
    const token = presentedToken(c.req.header('authorization'));
    if (token === undefined || !timingSafeEqual(digest(token), expected)) {
      c.header('WWW-Authenticate', 'Basic realm="approval-engine codec", charset="UTF-8"');
      const error = new EngineError('UNAUTHENTICATED', 'the codec endpoint needs the operator token (APPROVAL_OPERATOR_TOKEN)');
      return c.json({ error: error.toBody() }, HTTP_STATUS[error.status]);
    }
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_CODEC_BODY_BYTES,
      onError: (c) => errorResponse(c, new EngineError('INVALID_ARGUMENT', 'request body exceeds the 4 MiB limit')),
    }),
  );
  const handle = (direction: 'encode' | 'decode') => async (c: Context) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return errorResponse(c, new EngineError('INVALID_ARGUMENT', 'body must be JSON: {"payloads": [...]}'));
    }
    const parsed = PayloadsJsonSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return errorResponse(c, new EngineError('INVALID_ARGUMENT', `${['body', ...(issue?.path ?? [])].join('.')}: ${issue?.message}`));
    }
    try {
      return c.json(toJson(await codec[direction](fromJson(parsed.data))));
    } catch (error) {
      if (error instanceof PayloadDecryptionError) return errorResponse(c, new EngineError('FAILED_PRECONDITION', error.message));
      throw error;
    }
  };
  app.post('/encode', handle('encode'));
  app.post('/decode', handle('decode'));
  return app;
};
