import { getHeapStatistics } from 'node:v8';
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { loadConfig, publicUrlOf } from '../infra/config';
import { loadWorkspaceRegistry } from '../infra/auth/workspace-registry';
import { announceReady } from '../infra/dev/ready-signal';
import { createLogger } from '../infra/logger';
import { engineDataConverter } from '../infra/payload-codec/data-converter';
import { describeTemporalConnection, temporalConnectionOptions } from '../infra/temporal/connection-config';
import { ensureSearchAttributes } from '../infra/temporal/ensure-search-attributes';
import { reviewerLinksFromConfig } from '../infra/ui/reviewer-links';
import { controlTaskQueue } from '../infra/control-task-queue';
import { createEngineWorkers } from '../infra/worker/create-worker';
import { activityTaskQueues, mockAgentPolicy, workerSlots } from '../infra/workspace-limits-config';
import { exitOnStartupError } from './exit-on-startup-error';

const logger = createLogger('worker');

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

await exitOnStartupError(logger, async () => {
  const config = loadConfig();
  if (config.WEBHOOK_ALLOW_PRIVATE_TARGETS) {
    logger.warn(
      'WEBHOOK_ALLOW_PRIVATE_TARGETS=true: SSRF protection of webhooks and HTTP agents is OFF (local development and tests only)',
    );
  }
  Runtime.install({
    logger: new DefaultLogger('INFO', (entry) => logger[pinoLevel[entry.level]](entry.meta ?? {}, entry.message)),
  });
  const temporal = temporalConnectionOptions(config);
  await ensureSearchAttributes(temporal, config.TEMPORAL_NAMESPACE, logger);
  const workers = await createEngineWorkers({
    temporal,
    dataConverter: engineDataConverter(config.APPROVAL_PAYLOAD_KEYS),
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities({
      registry: loadWorkspaceRegistry(config),
      allowPrivateWebhookTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
      secretsKey: config.APPROVAL_SECRETS_KEY,
      publicUrl: publicUrlOf(config),
      reviewerLinks: reviewerLinksFromConfig(config),
      notifications: {
        smtpUrl: config.SMTP_URL,
        smtpFrom: config.SMTP_FROM,
        slackBotToken: config.SLACK_BOT_TOKEN,
        slackApiUrl: config.SLACK_API_URL,
      },
      mockAgent: mockAgentPolicy(config),
    }),
    slots: workerSlots(config),
    logger,
    maxCachedWorkflows: config.APPROVAL_WORKER_MAX_CACHED_WORKFLOWS,
    workflowPolls: config.APPROVAL_WORKER_WORKFLOW_POLLS,
  });
  const queues = activityTaskQueues(config.TEMPORAL_TASK_QUEUE);
  logger.info(
    `worker polling task queues ${config.TEMPORAL_TASK_QUEUE}, ${controlTaskQueue(config.TEMPORAL_TASK_QUEUE)}, ` +
      `${queues.agents} (${config.APPROVAL_AGENT_SLOTS} slots) and ` +
      `${queues.webhooks} (${config.APPROVAL_WEBHOOK_SLOTS} slots) on ${describeTemporalConnection(config)}`,
  );
  // Set by the launcher, not here (docs/operations.md, "Worker memory"): say what this process got.
  logger.info(`V8 heap limit ${Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)} MiB`);
  if (config.APPROVAL_MOCK_AGENT === 'off') logger.info('APPROVAL_MOCK_AGENT=off: __mock__ agent runs fail');
  if (config.APPROVAL_PAYLOAD_KEYS) logger.info(`payloads sealed with key id ${config.APPROVAL_PAYLOAD_KEYS[0]?.id}`);
  announceReady();
  // Worker.run() shuts down gracefully on SIGINT/SIGTERM by default.
  await workers.run();
});
