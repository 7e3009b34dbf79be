import type { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import { SecretBox } from '../src/infra/secrets/secret-box';
import type { ReviewerLinks } from '../src/infra/ui/reviewer-links';
import { createDeliverWebhook } from '../src/webhooks/delivery';
import { currentRun } from './current-run';
import type { MockAgentPolicy } from './mock-agent';
import { createRunAgent } from './run-agent';
import { checkScheduledTrigger, pinScheduledRun } from './scheduled-trigger';
import { stillRunning } from './still-running';
import { createCallWebhookNode } from './webhook-node';
import { createSendNotification } from './notification';
import { notificationTransports, type NotificationSettings } from '../src/infra/notifications/transports';

export interface ActivityDeps {
  registry: WorkspaceRegistry;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: lifts the https and private-address rules for webhooks and HTTP agents. */
  allowPrivateWebhookTargets: boolean;
  /** APPROVAL_SECRETS_KEY: opens the webhook secrets the API sealed. */
  secretsKey?: string | undefined;
  /** APPROVAL_PUBLIC_URL (or its default): the engine's address as receivers of async webhook nodes reach it. */
  publicUrl?: string | undefined;
  /** Set when APPROVAL_PUBLIC_URL is: webhooks of waiting human steps carry reviewer links (docs/ui.md). */
  reviewerLinks?: ReviewerLinks | undefined;
  /** SMTP_URL, SMTP_FROM, SLACK_BOT_TOKEN, SLACK_API_URL: the notification nodes' transports (none: they fail). */
  notifications?: NotificationSettings | undefined;
  /** APPROVAL_MOCK_AGENT and APPROVAL_MOCK_MAX_DELAY_MS; default: on, 10 minutes at most. */
  mockAgent?: MockAgentPolicy | undefined;
}

/** Every activity the worker registers; workflows import only `typeof` this. */
export const createActivities = (deps: ActivityDeps) => ({
  runAgent: createRunAgent(deps.registry, { allowPrivateTargets: deps.allowPrivateWebhookTargets }, deps.mockAgent),
  callWebhookNode: createCallWebhookNode({
    secretBox: deps.secretsKey ? new SecretBox(deps.secretsKey) : undefined,
    secretsKey: deps.secretsKey,
    allowPrivateTargets: deps.allowPrivateWebhookTargets,
    publicUrl: deps.publicUrl,
  }),
  deliverWebhook: createDeliverWebhook({
    secretBox: deps.secretsKey ? new SecretBox(deps.secretsKey) : undefined,
    allowPrivateTargets: deps.allowPrivateWebhookTargets,
    reviewerLinks: deps.reviewerLinks,
    currentRun,
  }),
  sendNotification: createSendNotification(
    notificationTransports(deps.notifications ?? {}, { allowPrivateTargets: deps.allowPrivateWebhookTargets }),
  ),
  stillRunning,
  checkScheduledTrigger,
  pinScheduledRun,
});

export type EngineActivities = ReturnType<typeof createActivities>;
