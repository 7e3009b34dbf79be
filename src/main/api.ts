import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { createEngineServices } from '../../api/services';
import { loadWorkspaceRegistry, unsaltedTokensWarning } from '../infra/auth/workspace-registry';
import { loadConfig } from '../infra/config';
import { announceReady } from '../infra/dev/ready-signal';
import { createLogger } from '../infra/logger';
import { AesGcmPayloadCodec } from '../infra/payload-codec/aes-gcm-codec';
import { describeTemporalConnection, temporalConnectionOptions } from '../infra/temporal/connection-config';
import { checkReadiness } from '../infra/temporal/readiness';
import { reviewerLinksFromConfig } from '../infra/ui/reviewer-links';
import { workspaceLimits } from '../infra/workspace-limits-config';
import { exitOnStartupError } from './exit-on-startup-error';

const logger = createLogger('api');

await exitOnStartupError(logger, () => {
  const config = loadConfig();
  const registry = loadWorkspaceRegistry(config);
  if (registry.size === 0) {
    throw new Error('no workspace configured: set APPROVAL_WORKSPACES_FILE, or APPROVAL_API_KEY and APPROVAL_AUTH_TOKEN');
  }
  if (config.WEBHOOK_ALLOW_PRIVATE_TARGETS) {
    logger.warn(
      'WEBHOOK_ALLOW_PRIVATE_TARGETS=true: SSRF protection of webhooks and HTTP agents is OFF (local development and tests only)',
    );
  }
  const unsalted = registry.unsaltedTokenSources;
  if (unsalted.length > 0) logger.warn(unsaltedTokensWarning(unsalted));
  // Lazy: the API starts (and answers /readyz with 503) even while Temporal is still coming up.
  const connection = Connection.lazy(temporalConnectionOptions(config));
  const keys = config.APPROVAL_PAYLOAD_KEYS;
  const codec = keys ? new AesGcmPayloadCodec(keys) : undefined;
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    ...(codec ? { dataConverter: { payloadCodecs: [codec] } } : {}),
  });
  if (codec && !config.APPROVAL_OPERATOR_TOKEN)
    logger.info('payload encryption on; set APPROVAL_OPERATOR_TOKEN to serve the codec endpoint');
  if (!codec && config.APPROVAL_OPERATOR_TOKEN)
    logger.warn('APPROVAL_OPERATOR_TOKEN is set but APPROVAL_PAYLOAD_KEYS is not: no codec endpoint');
  const app = createApp({
    logger,
    registry,
    services: createEngineServices(client, config.TEMPORAL_TASK_QUEUE, {
      secretsKey: config.APPROVAL_SECRETS_KEY,
      allowPrivateWebhookTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      workerWait: { waitMs: config.APPROVAL_WORKER_WAIT_MS, maxRounds: 6 },
      reviewerLinks: reviewerLinksFromConfig(config),
      limits: workspaceLimits(config),
    }),
    rateLimit:
      config.APPROVAL_RATE_LIMIT_PER_MINUTE > 0
        ? {
            perMinute: config.APPROVAL_RATE_LIMIT_PER_MINUTE,
            burst: config.APPROVAL_RATE_LIMIT_BURST ?? Math.max(1, Math.ceil(config.APPROVAL_RATE_LIMIT_PER_MINUTE / 6)),
          }
        : undefined,
    checkReadiness: () => checkReadiness(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_TASK_QUEUE),
    ui: config.APPROVAL_SECRETS_KEY
      ? { secretsKey: config.APPROVAL_SECRETS_KEY, sessionTtlMs: config.APPROVAL_UI_SESSION_TTL_SECONDS * 1000 }
      : undefined,
    codecEndpoint:
      codec && config.APPROVAL_OPERATOR_TOKEN
        ? { codec, operatorToken: config.APPROVAL_OPERATOR_TOKEN, corsOrigins: config.APPROVAL_CODEC_CORS_ORIGINS ?? [] }
        : undefined,
  });
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    logger.info(`API listening on http://127.0.0.1:${info.port} (reference: /docs, /openapi.json)`);
    logger.info(`Temporal at ${describeTemporalConnection(config)}`);
    announceReady();
  });
  const shutdown = (): void => {
    server.close(() => {
      void connection.close().finally(() => process.exit(0));
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
});
