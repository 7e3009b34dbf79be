export { apply, type ApplyContext, type ApplyResult } from './apply';
export { cancelExecutionReply } from './handlers/cancelled';
export type {
  AgentCallExtras,
  CallWebhook,
  CancelAgent,
  CancelSlaTimer,
  CancelWebhook,
  Command,
  RunAgent,
  StartSlaTimer,
} from './commands';
export {
  EXTERNAL_EVENT_TYPES,
  INTERNAL_EVENT_TYPES,
  externalEventsSince,
  isExternalEvent,
  toEventView,
  type ApprovalEventView,
  type EventType,
  type ExternalEventType,
  type InternalEventType,
} from './read/events';
export { eventsPage, type EventsPage } from './read/events-page';
export type {
  AgentErrorCode,
  AgentFailed,
  AgentResolutionRecorded,
  AgentRetried,
  AgentRunOutcome,
  AgentSucceeded,
  AggregatorReply,
  AnsweredKind,
  CancelExecutionReply,
  CancelStepReply,
  DecisionRejectionReason,
  Dispatched,
  ExecutionCancelled,
  Happening,
  HappeningOf,
  IdempotencySuppressed,
  ReplyByKind,
  ReplyOf,
  RequestOf,
  ResolveAction,
  ResolveStepReply,
  ReviewerDecisionRecorded,
  SlaExpired,
  StepCancelled,
  StepResolved,
  WebhookCallbackReceived,
  WebhookCallbackReply,
  WebhookCallFailed,
  WebhookCallSucceeded,
  WebhookRetryClass,
} from './happenings';
export {
  agentExecutionId,
  agentResumeKey,
  childStepId,
  eventId,
  exhaustedStepId,
  humanResumeKey,
  joinStepId,
  rootStepId,
  webhookResumeKey,
  withIteration,
} from './ids';
export type { PreviousAttempt } from './read/inputs';
export {
  buildPlan,
  DEFAULT_AGENT_MAX_RUNTIME_MS,
  DEFAULT_LOOP_PREDICATE,
  G3_DEFAULT_AGENT_MAX_RUNTIME_MS,
  type Generation,
  type NodeType,
  type Plan,
  type PlanOptions,
  type QuorumPolicy,
  type WebhookSpec,
} from './plan';
export { resumeCommands } from './resume';
export { SLA_BREACH_REASON } from './handlers/sla-expired';
export {
  agentRunInFlight,
  findStep,
  isTerminalExecution,
  isTerminalStep,
  STATE_VERSION,
  type AggregatorStatus,
  type Decision,
  type EventRecord,
  type ExecutionState,
  type ExecutionStatus,
  type FailureReason,
  type StepState,
  type StepStatus,
} from './state';
export {
  checkAgentResolution,
  checkResolve,
  checkReviewerDecision,
  checkStepCancel,
  checkWebhookCallback,
  endedRunRefusal,
} from './validators';
export { toExecutionView, toStepView, type ExecutionView, type StepView } from './read/views';
export { toWorkItemResponses, type StepResponses, type WorkItemResponses } from './read/work-item';
export { currentDetails } from './read/current-details';
