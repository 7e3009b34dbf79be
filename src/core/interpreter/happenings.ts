import type { AggregatorStatus, Decision } from './state';

/** What the agent activity returned (activities/agent-types.ts `AgentRunResult`, structurally). */
export interface AgentRunOutcome {
  status: 'passed' | 'failed';
  summary: unknown;
  output: Record<string, unknown>;
  responseIds: string[];
}

export type AgentErrorCode = 'agent-failed' | 'agent-timeout' | 'agent-empty-output' | 'agent-not-registered';

export type ResolveAction = 'force-approve' | 'force-reject' | 'force-complete' | 'force-fail' | 'reviewer-approve' | 'reviewer-reject';

export interface Dispatched {
  kind: 'dispatched';
  executionId: string;
  definitionVersion: number;
  triggerContext: Record<string, unknown>;
  correlationId: string;
  idempotencyKey: string;
}

/** A repeated dispatch with the same idempotency key (internal `idempotency.suppressed`). */
export interface IdempotencySuppressed {
  kind: 'idempotencySuppressed';
}

export interface AgentSucceeded {
  kind: 'agentSucceeded';
  stepId: string;
  result: AgentRunOutcome;
  /** Activity attempts the run used (1 = no retry): sets `retryCount` and records `step.retried`. */
  attempts?: number | undefined;
  /** Measured by the workflow around the run (retries included); defaults to the time since the step started. */
  durationMs?: number | undefined;
}

export interface AgentFailed {
  kind: 'agentFailed';
  stepId: string;
  code: AgentErrorCode;
  message: string;
  attempts?: number | undefined;
  durationMs?: number | undefined;
}

/** One transient retry reported while the run goes on (internal `step.retried`); retries are otherwise learnt from `attempts`. */
export interface AgentRetried {
  kind: 'agentRetried';
  stepId: string;
  attempt: number;
  message: string;
}

/** A webhook node's call was answered with a status that completes it (docs/inbound.md, "Webhook nodes"). */
export interface WebhookCallSucceeded {
  kind: 'webhookCallSucceeded';
  stepId: string;
  httpStatus: number;
  responseHeaders: Record<string, string>;
  /** Present when the answer was JSON. */
  responseJson?: unknown;
  /** At most 64 KiB of the answer's text. */
  responseText: string;
  latencyMs: number;
  attempts?: number | undefined;
}

/** `terminal`: retrying cannot help (4xx, a refused URL, a missing secret); `retryable`: the retries ran out. */
export type WebhookRetryClass = 'terminal' | 'retryable';

export interface WebhookCallFailed {
  kind: 'webhookCallFailed';
  stepId: string;
  code: string;
  message: string;
  httpStatus: number | null;
  latencyMs: number | null;
  retryClass: WebhookRetryClass;
  attempts?: number | undefined;
}

/** The callback of an async webhook step, its token already verified by the API. */
export interface WebhookCallbackReceived {
  kind: 'webhookCallbackReceived';
  stepId: string;
  status: 'completed' | 'failed';
  output?: Record<string, unknown> | undefined;
  error?: Record<string, unknown> | undefined;
}

export interface ReviewerDecisionRecorded {
  kind: 'reviewerDecisionRecorded';
  stepId: string;
  reviewerId: string;
  decision: Decision;
  reason?: string | undefined;
}

/** Both body shapes, normalised by the caller (requests/step-requests.ts). */
export interface AgentResolutionRecorded {
  kind: 'agentResolutionRecorded';
  stepId: string;
  resolutionId: string;
  status: 'success' | 'failure';
  output?: Record<string, unknown> | null | undefined;
  errorMessage?: string | null | undefined;
  actorId?: string | null | undefined;
}

export interface SlaExpired {
  kind: 'slaExpired';
  stepId: string;
}

/** `/steps/cancel`. */
export interface StepCancelled {
  kind: 'stepCancelled';
  stepId: string;
  actorId: string;
  reason?: string | undefined;
}

/** `/steps/resolve`. */
export interface StepResolved {
  kind: 'stepResolved';
  stepId: string;
  action: ResolveAction;
  actorId: string;
  output?: Record<string, unknown> | undefined;
  reason?: string | undefined;
}

/** `/executions/cancel`. */
export interface ExecutionCancelled {
  kind: 'executionCancelled';
  reason?: string | undefined;
}

export type Happening =
  | Dispatched
  | IdempotencySuppressed
  | AgentSucceeded
  | AgentFailed
  | AgentRetried
  | WebhookCallSucceeded
  | WebhookCallFailed
  | WebhookCallbackReceived
  | ReviewerDecisionRecorded
  | AgentResolutionRecorded
  | SlaExpired
  | StepCancelled
  | StepResolved
  | ExecutionCancelled;

/**
 * Why a decision was not recorded (`g3` runs only; docs/behaviour.md, "G3 runtime").
 * `aggregator-missing` is part of the contract but never produced here: every human step opens its
 * aggregator when it starts.
 */
export type DecisionRejectionReason = 'idempotent' | 'already-terminal' | 'unknown-responder' | 'aggregator-missing';

export interface AggregatorReply {
  recorded: boolean;
  /** null only with `rejectionReason: "aggregator-missing"`. */
  aggregatorStatus: AggregatorStatus | null;
  resumeScheduled: boolean;
  /** Set on `recorded: false` replies of `g3` runs. */
  rejectionReason?: DecisionRejectionReason;
}

export interface CancelStepReply {
  cancelled: true;
  executionId: string;
  stepId: string;
}

export interface ResolveStepReply {
  resolved: true;
  executionId: string;
  stepId: string;
  action: ResolveAction;
}

export interface WebhookCallbackReply {
  ok: true;
  stepId: string;
  status: 'completed' | 'failed';
}

export interface CancelExecutionReply {
  cancelled: true;
  executionId: string;
}

/** What an endpoint returns for each happening (null where there is no caller to answer). */
export interface ReplyByKind {
  dispatched: null;
  idempotencySuppressed: null;
  agentSucceeded: null;
  agentFailed: null;
  agentRetried: null;
  webhookCallSucceeded: null;
  webhookCallFailed: null;
  webhookCallbackReceived: WebhookCallbackReply;
  reviewerDecisionRecorded: AggregatorReply;
  agentResolutionRecorded: AggregatorReply;
  slaExpired: null;
  stepCancelled: CancelStepReply;
  stepResolved: ResolveStepReply;
  executionCancelled: CancelExecutionReply;
}

export type ReplyOf<H extends Happening> = ReplyByKind[H['kind']];

/** The happenings a caller waits on (an Update): those with a non-null reply. */
export type AnsweredKind = { [K in keyof ReplyByKind]: ReplyByKind[K] extends null ? never : K }[keyof ReplyByKind];

/** The happening of one kind. */
export type HappeningOf<K extends Happening['kind']> = Extract<Happening, { kind: K }>;

/** What a caller sends for a happening: the happening without its `kind` (an Update's argument). */
export type RequestOf<K extends Happening['kind']> = Omit<HappeningOf<K>, 'kind'>;
