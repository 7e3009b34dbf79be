/** Side effects the workflow carries out after an `apply`; results come back as happenings. */

export interface RunAgent {
  kind: 'runAgent';
  stepId: string;
  nodeId: string;
  agentId: string;
  /** `urlPath` resolved against the trigger context; null when unset or not a string there. */
  url: string | null;
  promptOverride: string | null;
  /** What the agent receives (see ARCHITECTURE.md, "Agent input"). */
  input: Record<string, unknown>;
  /** `config.inputMapping.mock`, read only by the `__mock__` agent. */
  mock: unknown;
  /** Hard ceiling (`agentMaxRuntimeMs`, default 30 min); exceeding it is `agent-timeout`. */
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
