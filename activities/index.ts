import type { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import { SecretBox } from '../src/infra/secrets/secret-box';
import type { ReviewerLinks } from '../src/infra/ui/reviewer-links';
import { createDeliverWebhook } from '../src/webhooks/delivery';
import { currentRun } from './current-run';
import { createRunAgent } from './run-agent';

export interface ActivityDeps {
  registry: WorkspaceRegistry;
  allowPrivateWebhookTargets: boolean;
  /** APPROVAL_SECRETS_KEY: opens the webhook secrets the API sealed. */
  secretsKey?: string | undefined;
  /** Set with APPROVAL_PUBLIC_URL: webhooks of waiting human steps carry reviewer links (docs/ui.md). */
  reviewerLinks?: ReviewerLinks | undefined;
}

/** Every activity the worker registers; workflows import only `typeof` this. */
export const createActivities = (deps: ActivityDeps) => ({
  runAgent: createRunAgent(deps.registry),
  deliverWebhook: createDeliverWebhook({
    secretBox: deps.secretsKey ? new SecretBox(deps.secretsKey) : undefined,
    allowPrivateTargets: deps.allowPrivateWebhookTargets,
    reviewerLinks: deps.reviewerLinks,
    currentRun,
  }),
});

export type EngineActivities = ReturnType<typeof createActivities>;
