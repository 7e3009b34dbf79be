import type { Client } from '@temporalio/client';
import { SecretBox } from '../src/infra/secrets/secret-box';
import { DefinitionClient } from '../src/infra/temporal/definition-client';
import { Dispatcher } from '../src/infra/temporal/dispatcher';
import { ExecutionClient } from '../src/infra/temporal/execution-client';
import type { WorkspaceLimits } from '../src/contracts/workspace-limits';
import { activityTaskQueues } from '../src/infra/workspace-limits-config';
import { checkWebhookUrlSyntax } from '../src/webhooks/delivery';

/** What the endpoints talk to; all of it is a thin face over Temporal. */
export interface EngineServices {
  definitions: DefinitionClient;
  executions: ExecutionClient;
  dispatcher: Dispatcher;
}

export interface ServiceOptions {
  secretsKey: string | undefined;
  allowPrivateWebhookTargets: boolean;
  /** Per-workspace limits (docs/behaviour.md, "Workspace limits"); absent: none, one task queue. */
  limits?: WorkspaceLimits | undefined;
}

export const createEngineServices = (client: Client, taskQueue: string, options: ServiceOptions): EngineServices => {
  const definitions = new DefinitionClient(client, taskQueue);
  const executions = new ExecutionClient(client, taskQueue, {
    indexed: true,
    tenancy: options.limits ? { limits: options.limits, activityQueues: activityTaskQueues(taskQueue) } : undefined,
  });
  const dispatcher = new Dispatcher({
    definitions,
    executions,
    secretBox: options.secretsKey ? new SecretBox(options.secretsKey) : undefined,
    checkWebhookUrl: (url) => checkWebhookUrlSyntax(url, { allowPrivate: options.allowPrivateWebhookTargets }),
  });
  return { definitions, executions, dispatcher };
};
