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

/** What a webhook node's call carries (docs/inbound.md, "Webhook nodes"); the activity adds auth and the callback. */
export interface CallWebhook {
  kind: 'callWebhook';
  stepId: string;
  nodeId: string;
  url: string;
  mode: 'sync' | 'async';
  method: 'GET' | 'POST';
  authMode: 'hmac' | 'token' | 'none';
  /** authMode token: the header, and the value read from `triggerContext.webhookAuth[<nodeId>]` (null when absent). */
  authTokenHeader: string | null;
  authToken: string | null;
  timeoutMs: number;
  expectedStatusCodes: number[];
  bodyTemplate: 'envelope' | 'pass-through' | 'none';
  requestHeaders: Record<string, string>;
  /** The envelope's fields; `pass-through` sends `payload.input` alone. */
  payload: {
    executionId: string;
    definitionId: string;
    stepId: string;
    nodeId: string;
    correlationId: string;
    triggerContext: Record<string, unknown>;
    input: Record<string, unknown>;
  };
}

export interface CancelWebhook {
  kind: 'cancelWebhook';
  stepId: string;
}

export type Command = RunAgent | CancelAgent | StartSlaTimer | CancelSlaTimer | CallWebhook | CancelWebhook;
