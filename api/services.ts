import type { Client } from '@temporalio/client';
import type { EngineError } from '../src/core/errors';
import { SecretBox } from '../src/infra/secrets/secret-box';
import { DefinitionClient } from '../src/infra/temporal/definition-client';
import { Dispatcher } from '../src/infra/temporal/dispatcher';
import { ExecutionClient } from '../src/infra/temporal/execution-client';
import { TriggerSchedules } from '../src/infra/temporal/schedules';
import { DEFAULT_WORKER_WAIT, WorkerWait, type WorkerWaitOptions } from '../src/infra/temporal/worker-wait';
import { WebhookCallbacks } from '../src/infra/temporal/webhook-callbacks';
import type { ReviewerLinks } from '../src/infra/ui/reviewer-links';
import type { WorkspaceLimits } from '../src/contracts/workspace-limits';
import { controlTaskQueue } from '../src/infra/control-task-queue';
import { activityTaskQueues } from '../src/infra/workspace-limits-config';
import { checkWebhookUrlSyntax } from '../src/webhooks/delivery';

/** What the endpoints talk to; all of it is a thin face over Temporal. */
export interface EngineServices {
  definitions: DefinitionClient;
  executions: ExecutionClient;
  dispatcher: Dispatcher;
  /** Schedule triggers' Temporal Schedules, written with their definition (docs/inbound.md). */
  schedules: TriggerSchedules;
  callbacks: WebhookCallbacks;
  /** Seals inbound-trigger and definition `webhookConfig` secrets; undefined without APPROVAL_SECRETS_KEY. */
  secretBox: SecretBox | undefined;
  /** Write-time rules for a URL the engine will call (webhookUrl, webhookConfig.url, webhook node url). */
  checkOutboundUrl: (url: string, subject: string) => EngineError | null;
  /** Set with APPROVAL_PUBLIC_URL: waiting human steps show their reviewer links (docs/ui.md). */
  reviewerLinks: ReviewerLinks | undefined;
}

export interface ServiceOptions {
  secretsKey: string | undefined;
  allowPrivateWebhookTargets: boolean;
  /** How long a call waits for a worker before checking one polls (docs/operations.md, "When no worker runs"). */
  workerWait?: WorkerWaitOptions | undefined;
  reviewerLinks?: ReviewerLinks | undefined;
  /** Per-workspace limits (docs/behaviour.md, "Workspace limits"); absent: none, one task queue. */
  limits?: WorkspaceLimits | undefined;
}

export const createEngineServices = (client: Client, taskQueue: string, options: ServiceOptions): EngineServices => {
  const wait = new WorkerWait(client, taskQueue, options.workerWait ?? DEFAULT_WORKER_WAIT);
  // Definitions and limiters start on the control queue (docs/operations.md, "Task queues").
  const control = controlTaskQueue(taskQueue);
  const controlWait = new WorkerWait(client, control, options.workerWait ?? DEFAULT_WORKER_WAIT);
  const definitions = new DefinitionClient(client, control, undefined, controlWait);
  const executions = new ExecutionClient(
    client,
    taskQueue,
    {
      indexed: true,
      tenancy: options.limits
        ? { limits: options.limits, activityQueues: activityTaskQueues(taskQueue), limiter: { taskQueue: control, wait: controlWait } }
        : undefined,
    },
    wait,
  );
  const secretBox = options.secretsKey ? new SecretBox(options.secretsKey) : undefined;
  const dispatcher = new Dispatcher({
    definitions,
    executions,
    secretBox,
    checkWebhookUrl: (url) => checkWebhookUrlSyntax(url, { allowPrivate: options.allowPrivateWebhookTargets }),
  });
  const callbacks = new WebhookCallbacks(executions, secretBox, options.secretsKey);
  const checkOutboundUrl = (url: string, subject: string) =>
    checkWebhookUrlSyntax(url, { allowPrivate: options.allowPrivateWebhookTargets, subject });
  return {
    definitions,
    executions,
    dispatcher,
    schedules: new TriggerSchedules(client, taskQueue),
    callbacks,
    secretBox,
    checkOutboundUrl,
    reviewerLinks: options.reviewerLinks,
  };
};
