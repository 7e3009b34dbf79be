import type { Client } from '@temporalio/client';
import { SecretBox } from '../src/infra/secrets/secret-box';
import { DefinitionStore } from '../src/infra/temporal/definition-store';
import { Dispatcher } from '../src/infra/temporal/dispatcher';
import { ExecutionStore } from '../src/infra/temporal/execution-store';
import { checkWebhookUrlSyntax } from '../src/infra/webhook-delivery';

/** What the endpoints talk to; all of it is a thin face over Temporal. */
export interface EngineServices {
  definitions: DefinitionStore;
  executions: ExecutionStore;
  dispatcher: Dispatcher;
}

export interface ServiceOptions {
  secretsKey: string | undefined;
  allowPrivateWebhookTargets: boolean;
}

export const createEngineServices = (client: Client, taskQueue: string, options: ServiceOptions): EngineServices => {
  const definitions = new DefinitionStore(client, taskQueue);
  const executions = new ExecutionStore(client, taskQueue);
  const dispatcher = new Dispatcher({
    definitions,
    executions,
    secretBox: options.secretsKey ? new SecretBox(options.secretsKey) : undefined,
    checkWebhookUrl: (url) => checkWebhookUrlSyntax(url, { allowPrivate: options.allowPrivateWebhookTargets }),
  });
  return { definitions, executions, dispatcher };
};
