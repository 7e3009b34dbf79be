import type { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import { createRunAgent } from './run-agent';

export interface ActivityDeps {
  registry: WorkspaceRegistry;
  allowPrivateWebhookTargets: boolean;
}

/** Every activity the worker registers; workflows import only `typeof` this. */
export const createActivities = (deps: ActivityDeps) => ({
  runAgent: createRunAgent(deps.registry),
});

export type EngineActivities = ReturnType<typeof createActivities>;
