import type { Generation, NodeType, Reviewer } from './plan';

/*
 * ExecutionState is plain JSON: it is carried across continue-as-new and returned by queries.
 * Everything derivable from the plan or from other fields is left out to keep it compact.
 */

export const STATE_VERSION = 1;

export type ExecutionStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped' | 'cancelled' | 'breached';
export type AggregatorStatus = 'pending' | 'resolved' | 'rejected';
export type Decision = 'approve' | 'reject';

export interface FailureReason {
  code: string;
  message: string;
}

export interface StepError {
  code: string;
  message: string;
}

/** One reviewer response as recorded (known reviewers and unknown responders alike). */
export interface ReviewerResponse {
  reviewerId: string;
  decision: Decision;
  reason: string | null;
  at: number;
}

export interface HumanAggregate {
  reviewers: Reviewer[];
  responses: ReviewerResponse[];
  /** Responses from userIds not declared on the node (docs/behaviour.md, "recordReviewerDecision"): kept, move no counter. */
  unknown: ReviewerResponse[];
  status: AggregatorStatus;
}

export interface AgentResolution {
  resolutionId: string;
  status: 'success' | 'failure';
  output: Record<string, unknown>;
  errorMessage: string | null;
  actorId: string | null;
  at: number;
}

export interface AgentState {
  agentId: string;
  blocking: boolean;
  /** Response ids the agent reported; for a blocking agent, the resolutions `allResolved` waits for. */
  responseIds: string[];
  resolutions: AgentResolution[];
  /** Blocking agents only, once parked; null before. */
  status: AggregatorStatus | null;
}

/** A step's input, kept as a reference and materialized on demand (views, runAgent). */
export type StepInputRef =
  | { kind: 'loop'; loopId: string; iteration: number }
  | { kind: 'exhausted'; loopId: string }
  | { kind: 'join'; groupId: string; iteration: number };

export interface StepState {
  stepId: string;
  nodeId: string;
  nodeType: NodeType;
  status: StepStatus;
  groupId: string | null;
  /** Loop iteration the step belongs to (1 outside loops). */
  iteration: number;
  parentStepId: string | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  retryCount: number;
  slaDeadlineAt: number | null;
  input: StepInputRef | null;
  output: Record<string, unknown>;
  error: StepError | null;
  /** An edge fired from it, or a loop or join group took over its routing. */
  routed: boolean;
  human: HumanAggregate | null;
  agent: AgentState | null;
  /** Webhook steps only (absent on every other step, and on runs recorded before webhook nodes ran). */
  webhook?: WebhookStepState | undefined;
}

export interface WebhookStepState {
  mode: 'sync' | 'async';
  /** The call has not answered yet (an async step may be called back before it has). */
  callInFlight: boolean;
  /** The status the call was answered with, once it was. */
  httpStatus: number | null;
}

export interface GroupInstance {
  groupId: string;
  iteration: number;
  /** Copied from the plan so views can build a join's input without it. */
  quorum: number;
  memberStepIds: string[];
  completedTotal: number;
  /** Step ids of members that ended `completed` with an approving decision. */
  approvedStepIds: string[];
  quorumMet: boolean;
  groupCompleted: boolean;
  /** Set when a loop restart (or exhaustion) abandoned this iteration's instance. */
  closed: boolean;
  /** Completed member step ids captured when the join fired (its input's `groupOutputs`). */
  joinedStepIds: string[] | null;
}

/** One rejected iteration; the terminal's output is read from `stepId` when an input is built. */
export interface AttemptRecord {
  iteration: number;
  stepId: string;
  rejectedBy: string | null;
  rejectorMandatory: boolean;
  rejectionReason: string | null;
  rejectedAt: number;
}

export interface LoopState {
  loopId: string;
  iteration: number;
  status: 'active' | 'exhausted';
  attempts: AttemptRecord[];
  /** Id of the first iteration's entry step; later entries append `__iter_<N>`. */
  entryBaseId: string;
}

/** One entry of the event log; `eventId` and `correlationId` are derived when viewed. */
export interface EventRecord {
  seq: number;
  type: string;
  stepId: string | null;
  at: number;
  data: Record<string, unknown> | null;
}

export interface ExecutionState {
  v: number;
  executionId: string;
  definitionId: string;
  definitionVersion: number;
  correlationId: string;
  idempotencyKey: string;
  triggerContext: Record<string, unknown>;
  status: ExecutionStatus;
  startedAt: number;
  completedAt: number | null;
  cancelledAt: number | null;
  failureReason: FailureReason | null;
  /** The first unhandled failure seen; it decides the roll-up once every step is terminal. */
  pendingFailure: FailureReason | null;
  lastSeq: number;
  events: EventRecord[];
  steps: StepState[];
  groups: GroupInstance[];
  loops: LoopState[];
}

const TERMINAL_STEP: ReadonlySet<StepStatus> = new Set(['completed', 'failed', 'skipped', 'cancelled', 'breached']);

export const isTerminalStep = (status: StepStatus): boolean => TERMINAL_STEP.has(status);

export const isTerminalExecution = (status: ExecutionStatus): boolean =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

export const findStep = (state: ExecutionState, stepId: string): StepState | undefined =>
  state.steps.find((step) => step.stepId === stepId);

/**
 * Approval in the group sense: a step completed with approve. `g2` counts human and blocking-agent
 * steps only (docs/runtime.md, "Groups and quorum"); `g3` counts every agent too (docs/behaviour.md, "G3 runtime").
 */
export const isApproval = (step: StepState, generation: Generation): boolean =>
  step.status === 'completed' &&
  step.output.decision === 'approve' &&
  (step.nodeType === 'human' || step.agent?.blocking === true || (generation === 'g3' && step.nodeType === 'agent'));

/**
 * The step's agent run is still in flight: `running` in `g2`, `waiting` with no resolution
 * aggregator yet in `g3` (a blocking agent opens its aggregator only once the run has answered).
 */
export const webhookCallInFlight = (step: StepState): boolean =>
  step.webhook?.callInFlight === true && (step.status === 'running' || step.status === 'waiting');

export const agentRunInFlight = (step: StepState): boolean =>
  step.nodeType === 'agent' &&
  step.agent !== null &&
  step.agent.status === null &&
  (step.status === 'running' || step.status === 'waiting');
