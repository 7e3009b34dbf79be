import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { EngineError } from '../src/core/errors';
import type { Logger } from '../src/infra/logger';
import type { Readiness } from '../src/infra/temporal/readiness';
import { createErrorHandler, errorResponse } from './error-mapper';
import { healthRoutes } from './routes/health';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  logger: Logger;
  checkReadiness: () => Promise<Readiness>;
}

export const createApp = (deps: AppDeps): Hono => {
  const app = new Hono();
  app.route('/', healthRoutes(deps.checkReadiness));
  app.use(
    '/v2/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, new EngineError('INVALID_ARGUMENT', 'request body exceeds the 1 MiB limit')),
    }),
  );
  app.notFound((c) => errorResponse(c, new EngineError('NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`)));
  app.onError(createErrorHandler(deps.logger));
  return app;
};
