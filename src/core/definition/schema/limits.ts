/** The limits of docs/api.md ("Data model") and docs/behaviour.md ("Definition validation"); one place so the schema, the linter and the docs agree. */
export const LIMITS = {
  nodeIdMaxChars: 64,
  nodes: { min: 1, max: 100 },
  edges: { max: 500 },
  groups: { max: 100 },
  loops: { max: 20 },
  triggers: { max: 50 },
  tags: { max: 20, maxChars: 64 },
  nameMaxChars: 200,
  descriptionMaxChars: 2000,
  groupIdMaxChars: 64,
  loopIdMaxChars: 64,
  groupMembersMax: 500,
  groupExpectedStepsMax: 500,
  loopBodyMax: 50,
  maxIterations: { min: 1, max: 20 },
  promptOverrideMaxChars: 8000,
  commentBodyMaxChars: 8000,
  reviewersMax: 100,
  reviewerEmailsMax: 50,
  agentMaxRuntimeMs: 86_400_000,
  slaMsMax: 7 * 24 * 60 * 60 * 1000,
  whenMaxChars: 4000,
  triggerIdMaxChars: 128,
  eventNameMaxChars: 128,
  agentUrlMaxChars: 2000,
  maxUrlsToProcess: 500,
  pollIntervalMs: { min: 5000, max: 60_000 },
  // Not documented: generous caps so ids and paths stay printable in messages and Temporal ids.
  userIdMaxChars: 256,
  agentIdMaxChars: 256,
  urlPathMaxChars: 1000,
  scopeIdMaxChars: 256,
  emailMaxChars: 320,
  minCountMax: 1000,
  userContextMappingMax: 100,
  userContextFieldMaxChars: 256,
} as const;

export const DEFAULT_AGENT_MAX_RUNTIME_MS = 30 * 60 * 1000;
/** The agent ceiling of a `g3` definition that sets none (docs/behaviour.md, "G3 runtime"). */
export const G3_DEFAULT_AGENT_MAX_RUNTIME_MS = 10 * 60 * 1000;
/** What a `g3` agent step reports as its `pollIntervalMs` when the node sets none. */
export const DEFAULT_AGENT_POLL_INTERVAL_MS = 15_000;
export const DEFAULT_LOOP_BACK_MAX_ITERATIONS = 5;
