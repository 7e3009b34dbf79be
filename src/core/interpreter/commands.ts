/** Side effects the workflow carries out after an `apply`; results come back as happenings. */

/**
 * What an agent call carries beyond the seed's fields, each only when it has a value: the new
 * agent fields and, for `g3` definitions, the id the waiting step reports (docs/behaviour.md,
 * "G3 runtime").
 */
export interface AgentCallExtras {
  agentExecutionId?: string | undefined;
  crossPageExecute?: boolean | undefined;
  maxUrlsToProcess?: number | undefined;
  pollIntervalMs?: number | undefined;
  /** Built from `userContextMapping` against the trigger context. */
  userContext?: Record<string, unknown> | undefined;
}

export interface RunAgent extends AgentCallExtras {
  kind: 'runAgent';
  stepId: string;
  nodeId: string;
  agentId: string;
  /** The static `url`, else `urlPath` resolved against the trigger context; null when neither gives one. */
  url: string | null;
  promptOverride: string | null;
  /** What the agent receives (see ARCHITECTURE.md, "Agent input"). */
  input: Record<string, unknown>;
  /** `config.inputMapping.mock`, read only by the `__mock__` agent. */
  mock: unknown;
  /** Hard ceiling (`agentMaxRuntimeMs`, default 30 min, 10 min in `g3`); exceeding it is `agent-timeout`. */
  maxRuntimeMs: number;
  blocking: boolean;
}

export interface CancelAgent {
  kind: 'cancelAgent';
  stepId: string;
}

export interface StartSlaTimer {
  kind: 'startSlaTimer';
  stepId: string;
  ms: number;
  deadlineAt: number;
}

export interface CancelSlaTimer {
  kind: 'cancelSlaTimer';
  stepId: string;
}

export type Command = RunAgent | CancelAgent | StartSlaTimer | CancelSlaTimer;
