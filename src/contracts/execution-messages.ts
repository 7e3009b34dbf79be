import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StoredDefinition } from '../core/definition/stored';
import type {
  EventsPage,
  ExecutionState,
  ExecutionView as InterpreterExecutionView,
  ReplyByKind,
  RequestOf,
  WorkItemResponses,
} from '../core/interpreter';
import type { DeadLetter, DeliveriesSnapshot, WebhookTarget } from '../webhooks/contract';

export type { EventsPage };

/** What a run hands to the next when it continues as new. */
export interface CarriedExecution {
  state: ExecutionState;
  deliveries: DeliveriesSnapshot | null;
}

export interface ExecutionWorkflowInput {
  workspaceId: string;
  executionId: string;
  /** The definition version pinned at dispatch. */
  definition: StoredDefinition;
  triggerContext: Record<string, unknown>;
  correlationId: string;
  idempotencyKey: string;
  folderId: string | null;
  /** The dispatch's scope ids, passed to agent calls; absent when the dispatch sent none. */
  organizationId?: string | undefined;
  documentId?: string | undefined;
  dispatchedAt: number;
  webhook: WebhookTarget | null;
  /**
   * Whether the run keeps its search attributes current (list endpoints need them). Off only where
   * they cannot be registered: Temporal's Java time-skipping test server has no operator API.
   */
  indexed: boolean;
  /**
   * Set by the API (docs/behaviour.md, "Workspace limits"): agent runs and webhook deliveries go to
   * their own task queues, so neither can fill the other's worker slots. Absent: the run's own queue.
   */
  activityQueues?: { agents: string; webhooks: string } | undefined;
  /** Set by the API when per-workspace limits are enforced: the workspace limiter's workflow id. */
  limiterWorkflowId?: string | undefined;
  /** Present when the run continues as new. */
  carried?: CarriedExecution | undefined;
}

/** What executions/get returns: the interpreter's view plus the webhook dead letters the workflow keeps. */
export type ExecutionView = InterpreterExecutionView & { webhookDeadLetters: DeadLetter[] };

export const getExecutionQuery = defineQuery<ExecutionView>('getExecution');
export const getEventsQuery = defineQuery<EventsPage, [{ sinceSeq: number; pageSize: number }]>('getEvents');

/** For the reviewer and operator pages (docs/ui.md): the work item, the pinned definition, every reviewer's decision. */
export type WorkItemView = WorkItemResponses & {
  definition: StoredDefinition;
  organizationId: string | null;
  documentId: string | null;
};
export const getWorkItemQuery = defineQuery<WorkItemView>('getWorkItem');

/*
 * Each Update carries one happening (without its `kind`) and answers with the reply the
 * interpreter computes for it (`ReplyByKind`); the API passes that reply through.
 */
export const recordReviewerDecisionUpdate = defineUpdate<ReplyByKind['reviewerDecisionRecorded'], [RequestOf<'reviewerDecisionRecorded'>]>(
  'recordReviewerDecision',
);
export const recordAgentResolutionUpdate = defineUpdate<ReplyByKind['agentResolutionRecorded'], [RequestOf<'agentResolutionRecorded'>]>(
  'recordAgentResolution',
);
export const cancelStepUpdate = defineUpdate<ReplyByKind['stepCancelled'], [RequestOf<'stepCancelled'>]>('cancelStep');
export const resolveStepUpdate = defineUpdate<ReplyByKind['stepResolved'], [RequestOf<'stepResolved'>]>('resolveStep');
/** The callback of an async webhook step, its token verified by the API (docs/inbound.md, "The callback contract"). */
export const webhookCallbackUpdate = defineUpdate<ReplyByKind['webhookCallbackReceived'], [RequestOf<'webhookCallbackReceived'>]>(
  'webhookCallback',
);
/** The sealed webhook secret of the run (null without one): what the callback route checks tokens with. */
export const webhookCallbackKeyQuery = defineQuery<{ sealedSecret: string | null }>('webhookCallbackKey');
export const cancelExecutionUpdate = defineUpdate<ReplyByKind['executionCancelled'], [RequestOf<'executionCancelled'>]>('cancelExecution');
/** A repeated dispatch with the same idempotency key (recorded as the internal `idempotency.suppressed`). */
export const idempotencySuppressedSignal = defineSignal<[{ at: number }]>('idempotencySuppressed');
/** What a repeated dispatch answers, and how many repeats the run has recorded (the API stops signalling at MAX_RECORDED_REPEATS). */
export const repeatAnswerQuery = defineQuery<{ correlationId: string; recordedRepeats: number }>('repeatAnswer');
/**
 * Repeats of one idempotency key recorded as `idempotency.suppressed` in one run; later repeats are
 * still answered (deduplicated) but written nowhere (docs/behaviour.md, "Workspace limits").
 */
export const MAX_RECORDED_REPEATS = 100;

export const executionWorkflowId = (workspaceId: string, executionId: string): string => `approval-exec/${workspaceId}/${executionId}`;

/** The inverse of `executionWorkflowId`; undefined for any other workflow id. */
export const parseExecutionWorkflowId = (workflowId: string): { workspaceId: string; executionId: string } | undefined => {
  const [prefix, workspaceId, executionId, ...rest] = workflowId.split('/');
  if (prefix !== 'approval-exec' || !workspaceId || !executionId || rest.length > 0) return undefined;
  return { workspaceId, executionId };
};
