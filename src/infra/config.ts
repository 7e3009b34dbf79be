import { z } from 'zod';
import { MIN_TOKEN_LENGTH } from './auth/token-hash';
import { DEFAULT_SMTP_FROM } from './notifications/smtp-transport';
import { DEFAULT_SLACK_API_URL } from './notifications/slack-transport';
import { payloadCodecFields } from './payload-codec/codec-config';
import { workspaceLimitFields } from './workspace-limits-config';
import { checkTemporalConnection, temporalConnectionFields } from './temporal/connection-config';
import { DEFAULT_WORKER_HEAP_MIB } from './worker/worker-heap';

const booleanString = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1');

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233');

export const ConfigSchema = z
  .object({
    TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('approval-engine'),
    ...temporalConnectionFields,
    ...payloadCodecFields,
    ...workspaceLimitFields,
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    APPROVAL_API_KEY: z.string().min(1).optional(),
    APPROVAL_AUTH_TOKEN: z
      .string()
      .min(MIN_TOKEN_LENGTH, `must be at least ${MIN_TOKEN_LENGTH} characters (docs/behaviour.md#workspaces-tokens-and-roles)`)
      .optional(),
    APPROVAL_WORKSPACES_FILE: z.string().min(1).optional(),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanString,
    APPROVAL_SECRETS_KEY: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
    APPROVAL_WORKER_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    APPROVAL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(0),
    APPROVAL_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).optional(),
    APPROVAL_PUBLIC_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({
        description:
          "The engine's public base URL, as webhook receivers and reviewers reach it: the origin of async webhook nodes' callback URLs and of reviewer links; default http://localhost:<PORT>.",
      }),
    // Reviewer links in step.awaiting-approval webhooks and on waiting human steps (docs/ui.md); needs APPROVAL_SECRETS_KEY.
    APPROVAL_REVIEWER_LINKS: booleanString,
    APPROVAL_REVIEW_LINK_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(90 * 24 * 3600)
      .default(7 * 24 * 3600),
    APPROVAL_UI_SESSION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(8 * 3600),
    // Notification transports (docs/notifications.md, "Configuration"); read by the worker.
    SMTP_URL: z
      .url({ protocol: /^smtps?$/ })
      .optional()
      .meta({ description: 'Email for notification nodes, e.g. smtp://user:pass@host:587 (smtps:// for implicit TLS).' }),
    SMTP_FROM: z
      .string()
      .min(3)
      .max(320)
      .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be a sender address, e.g. Approvals <approvals@example.com>')
      .default(DEFAULT_SMTP_FROM),
    SLACK_BOT_TOKEN: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'chat.postMessage for notification nodes whose slackTarget is a channel id.' }),
    SLACK_API_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_SLACK_API_URL),
    // The worker keeps at most this many workflows in memory; others are replayed on their next task (docs/bench.md).
    APPROVAL_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(1_000_000).optional(),
    // The worker's V8 heap limit in MiB, set by the engine's launchers; 0 leaves Node's default (docs/operations.md, "Worker memory").
    APPROVAL_WORKER_HEAP_MIB: z.coerce
      .number()
      .int()
      .refine((value) => value === 0 || (value >= 256 && value <= 65_536), "must be 0 (Node's default) or 256 to 65536 MiB")
      .default(DEFAULT_WORKER_HEAP_MIB),
    // Workflow-task polls the worker keeps open, half of them for new and evicted runs (docs/bench.md, "Dispatch bursts").
    APPROVAL_WORKER_WORKFLOW_POLLS: z.coerce.number().int().min(2).max(40).default(20),
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  })
  .superRefine((config, ctx) => {
    if ((config.APPROVAL_API_KEY === undefined) !== (config.APPROVAL_AUTH_TOKEN === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.APPROVAL_API_KEY === undefined ? 'APPROVAL_API_KEY' : 'APPROVAL_AUTH_TOKEN'],
        message: 'APPROVAL_API_KEY and APPROVAL_AUTH_TOKEN must be set together',
      });
    }
    if (config.APPROVAL_REVIEWER_LINKS && config.APPROVAL_SECRETS_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['APPROVAL_REVIEWER_LINKS'],
        message: 'reviewer links need APPROVAL_SECRETS_KEY to be set too',
      });
    }
    checkTemporalConnection(config, ctx);
  });

export type Config = z.infer<typeof ConfigSchema>;

/** APPROVAL_PUBLIC_URL, or its default: the engine's own port on this host. */
export const publicUrlOf = (config: Pick<Config, 'APPROVAL_PUBLIC_URL' | 'PORT'>): string =>
  config.APPROVAL_PUBLIC_URL ?? `http://localhost:${config.PORT}`;

/** Secrets never appear in a start-up error, only that they are malformed. */
const SECRET_VARIABLES = new Set([
  'TEMPORAL_API_KEY',
  'APPROVAL_PAYLOAD_KEYS',
  'APPROVAL_OPERATOR_TOKEN',
  'APPROVAL_SECRETS_KEY',
  'APPROVAL_AUTH_TOKEN',
  'SMTP_URL',
  'SLACK_BOT_TOKEN',
]);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once at start; a bad value names the variable. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const blankAsUnset = Object.fromEntries(Object.keys(ConfigSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = ConfigSchema.safeParse(blankAsUnset);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? 'environment');
    const shown = SECRET_VARIABLES.has(variable) ? '(secret, not shown)' : JSON.stringify(env[variable] ?? '');
    return `${variable}=${shown}: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
};
