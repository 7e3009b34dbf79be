import type { Client } from '@temporalio/client';
import { SecretBox } from '../src/infra/secrets/secret-box';
import { DefinitionClient } from '../src/infra/temporal/definition-client';
import { Dispatcher } from '../src/infra/temporal/dispatcher';
import { ExecutionClient } from '../src/infra/temporal/execution-client';
import type { ReviewerLinks } from '../src/infra/ui/reviewer-links';
import { checkWebhookUrlSyntax } from '../src/webhooks/delivery';

/** What the endpoints talk to; all of it is a thin face over Temporal. */
export interface EngineServices {
  definitions: DefinitionClient;
  executions: ExecutionClient;
  dispatcher: Dispatcher;
  /** Set with APPROVAL_PUBLIC_URL: waiting human steps show their reviewer links (docs/ui.md). */
  reviewerLinks: ReviewerLinks | undefined;
}

export interface ServiceOptions {
  secretsKey: string | undefined;
  allowPrivateWebhookTargets: boolean;
  reviewerLinks?: ReviewerLinks | undefined;
}

export const createEngineServices = (client: Client, taskQueue: string, options: ServiceOptions): EngineServices => {
  const definitions = new DefinitionClient(client, taskQueue);
  const executions = new ExecutionClient(client, taskQueue);
  const dispatcher = new Dispatcher({
    definitions,
    executions,
    secretBox: options.secretsKey ? new SecretBox(options.secretsKey) : undefined,
    checkWebhookUrl: (url) => checkWebhookUrlSyntax(url, { allowPrivate: options.allowPrivateWebhookTargets }),
  });
  return { definitions, executions, dispatcher, reviewerLinks: options.reviewerLinks };
};
