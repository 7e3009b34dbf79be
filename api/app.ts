import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { EngineError } from '../src/core/errors';
import type { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import type { Logger } from '../src/infra/logger';
import type { Readiness } from '../src/infra/temporal/readiness';
import type { Endpoint } from './endpoint';
import { ENDPOINTS } from './endpoints';
import { asError, createErrorHandler, errorResponse } from './error-mapper';
import { authenticate, type AuthEnv } from './middleware/auth';
import { rateLimitPerWorkspace, workspaceRequestBudget, type RateLimitOptions } from './middleware/rate-limit';
import { workspaceBudget } from '../src/core/limits/token-buckets';
import { buildOpenApiDocument } from './openapi';
import { readData } from './read-data';
import { REFERENCE_PAGE } from './reference-page';
import { TriggerDelivery } from '../src/infra/inbound/trigger-delivery';
import { codecRoutes, type CodecEndpointOptions } from './routes/codec';
import { inboundTriggerRoutes } from './routes/inbound-trigger';
import { healthRoutes } from './routes/health';
import { webhookCallbackRoutes } from './routes/webhook-callback';
import { rawRoutePaths } from './openapi-raw-routes';
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
  /** Per-workspace request rate limit; absent: no limit (docs/operations.md, "Rate limits"). */
  rateLimit?: RateLimitOptions | undefined;
  /** The reviewer and operator pages under /ui; served when APPROVAL_SECRETS_KEY is set (docs/ui.md). */
  ui?: UiOptions | undefined;
}

export const createApp = (deps: AppDeps): Hono<AuthEnv> => {
  const endpoints = deps.endpoints ?? ENDPOINTS;
  const app = new Hono<AuthEnv>();
  app.route('/', healthRoutes(deps.checkReadiness, deps.logger));
  const generated = buildOpenApiDocument(endpoints);
  const openApi = { ...generated, paths: { ...(generated.paths as Record<string, unknown>), ...rawRoutePaths() } };
  app.get('/openapi.json', (c) => c.json(openApi));
  app.get('/docs', (c) => c.html(REFERENCE_PAGE));
  if (deps.codecEndpoint) app.route('/codec', codecRoutes(deps.codecEndpoint));
  const takeRequest = deps.rateLimit ? workspaceRequestBudget(deps.rateLimit) : undefined;
  /** Inbound deliveries and callbacks each get budgets apart from the API's (docs/operations.md, "Rate limits"). */
  const ownBudget = () => (deps.rateLimit ? workspaceBudget(deps.rateLimit, deps.rateLimit.now) : undefined);
  if (deps.ui) app.route('/ui', uiRoutes({ ...deps.ui, registry: deps.registry, services: deps.services, takeRequest }));
  // Before the /v2 middlewares: these answer without a token or a { data } envelope.
  app.route(
    '/v2/workflow/webhook-inbound',
    inboundTriggerRoutes(
      new TriggerDelivery({
        registry: deps.registry,
        ...deps.services,
        rateLimit: ownBudget(),
      }),
      deps.logger,
    ),
  );
  // Authenticated by its own token, answered in its own `{ ok, code }` shape: ahead of the /v2 middleware.
  app.route(
    '/',
    webhookCallbackRoutes(deps.services.callbacks, deps.logger, {
      knowsWorkspace: (workspaceId) => deps.registry.workspace(workspaceId) !== undefined,
      rateLimit: ownBudget(),
    }),
  );

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
  // Every endpoint is a POST: another method on a known path is 405, before credentials are read.
  const endpointPaths = new Set<string>(endpoints.map((endpoint) => endpoint.path));
  app.use('/v2/*', async (c, next) => {
    if (c.req.method === 'POST' || !endpointPaths.has(c.req.path)) return next();
    c.header('Allow', 'POST');
    return c.json(
      { error: new EngineError('INVALID_ARGUMENT', `method ${c.req.method} is not allowed on ${c.req.path}; use POST`).toBody() },
      405,
    );
  });
  app.use('/v2/*', authenticate({ registry: deps.registry }));
  if (deps.rateLimit) app.use('/v2/*', rateLimitPerWorkspace(deps.rateLimit, takeRequest));
  for (const endpoint of endpoints) {
    app.post(endpoint.path, async (c) => {
      const { parsed, raw } = await readData(c, endpoint.request);
      const result = await endpoint
        .handle(parsed, { principal: c.get('principal'), services: deps.services, raw })
        .catch((thrown: unknown) => Promise.reject(asError(thrown)));
      return c.json({ result });
    });
  }
  app.notFound((c) => errorResponse(c, new EngineError('NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`)));
  app.onError(createErrorHandler(deps.logger));
  return app;
};
