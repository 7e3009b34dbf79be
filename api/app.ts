import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { EngineError } from '../src/core/errors';
import type { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import type { Logger } from '../src/infra/logger';
import type { Readiness } from '../src/infra/temporal/readiness';
import type { Endpoint } from './endpoint';
import { ENDPOINTS } from './endpoints';
import { createErrorHandler, errorResponse } from './error-mapper';
import { authenticate, type AuthEnv } from './middleware/auth';
import { buildOpenApiDocument } from './openapi';
import { readData } from './read-data';
import { REFERENCE_PAGE } from './reference-page';
import { codecRoutes, type CodecEndpointOptions } from './routes/codec';
import { healthRoutes } from './routes/health';
import type { EngineServices } from './services';
import { uiRoutes, type UiOptions } from './ui/ui-routes';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  logger: Logger;
  checkReadiness: () => Promise<Readiness>;
  registry: WorkspaceRegistry;
  services: EngineServices;
  endpoints?: readonly Endpoint[];
  /** Served only when payload encryption and an operator token are configured. */
  codecEndpoint?: CodecEndpointOptions | undefined;
  /** The reviewer and operator pages under /ui; served when APPROVAL_SECRETS_KEY is set (docs/ui.md). */
  ui?: UiOptions | undefined;
}

export const createApp = (deps: AppDeps): Hono<AuthEnv> => {
  const endpoints = deps.endpoints ?? ENDPOINTS;
  const app = new Hono<AuthEnv>();
  app.route('/', healthRoutes(deps.checkReadiness));
  const openApi = buildOpenApiDocument(endpoints);
  app.get('/openapi.json', (c) => c.json(openApi));
  app.get('/docs', (c) => c.html(REFERENCE_PAGE));
  if (deps.codecEndpoint) app.route('/codec', codecRoutes(deps.codecEndpoint));
  if (deps.ui) app.route('/ui', uiRoutes({ ...deps.ui, registry: deps.registry, services: deps.services }));

  app.use(
    '/v2/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        // The rest of the body is never read, so the connection cannot be reused.
        c.header('Connection', 'close');
        return errorResponse(c, new EngineError('INVALID_ARGUMENT', 'request body exceeds the 1 MiB limit'));
      },
    }),
  );
  app.use('/v2/*', authenticate({ registry: deps.registry }));
  for (const endpoint of endpoints) {
    app.post(endpoint.path, async (c) => {
      const { parsed, raw } = await readData(c, endpoint.request);
      const result = await endpoint.handle(parsed, { principal: c.get('principal'), services: deps.services, raw });
      return c.json({ result });
    });
  }
  app.notFound((c) => errorResponse(c, new EngineError('NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`)));
  app.onError(createErrorHandler(deps.logger));
  return app;
};
