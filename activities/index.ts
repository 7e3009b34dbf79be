import type { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import { SecretBox } from '../src/infra/secrets/secret-box';
import { createDeliverWebhook } from '../src/webhooks/delivery';
import type { MockAgentPolicy } from './mock-agent';
import { createRunAgent } from './run-agent';
import { stillRunning } from './still-running';

export interface ActivityDeps {
  registry: WorkspaceRegistry;
  allowPrivateWebhookTargets: boolean;
  /** APPROVAL_SECRETS_KEY: opens the webhook secrets the API sealed. */
  secretsKey?: string | undefined;
  /** APPROVAL_MOCK_AGENT and APPROVAL_MOCK_MAX_DELAY_MS; default: on, 10 minutes at most. */
  mockAgent?: MockAgentPolicy | undefined;
}

/** Every activity the worker registers; workflows import only `typeof` this. */
export const createActivities = (deps: ActivityDeps) => ({
  runAgent: createRunAgent(deps.registry, deps.mockAgent),
  deliverWebhook: createDeliverWebhook({
    secretBox: deps.secretsKey ? new SecretBox(deps.secretsKey) : undefined,
    allowPrivateTargets: deps.allowPrivateWebhookTargets,
  }),
  stillRunning,
});

export type EngineActivities = ReturnType<typeof createActivities>;
