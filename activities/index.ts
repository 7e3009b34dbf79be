export interface ActivityDeps {
  allowPrivateWebhookTargets: boolean;
}

/** Every activity the worker registers; workflows import only `typeof` this. */
export const createActivities = (_deps: ActivityDeps) => ({});

export type EngineActivities = ReturnType<typeof createActivities>;
