import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AggregatorReply, EventsPage, ExecutionView as InterpreterExecutionView } from '../core/interpreter';
import type { NormalizedAgentResolution, RecordReviewerDecisionRequest, ResolveStepRequest } from '../core/requests/step-requests';
import type { StoredDefinition } from '../core/definition/stored';
import type { DeadLetter } from './webhook-delivery';

export type { EventsPage };

export interface WebhookTarget {
  url: string;
  /** Sealed with APPROVAL_SECRETS_KEY; history never holds the plaintext. */
  sealedSecret: string;
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
  dispatchedAt: number;
  webhook: WebhookTarget | null;
  /**
   * Whether the run keeps its search attributes current (list endpoints need them). Off only where
   * they cannot be registered: Temporal's Java time-skipping test server has no operator API.
   */
  indexed: boolean;
  /** Present when the run continues as new: the state and bookkeeping carried across. */
  carried?: unknown;
}

export interface StepActionRequest {
  stepId: string;
  actorId: string;
  reason?: string | undefined;
}

/** What executions/get returns: the interpreter's view plus the webhook dead letters the workflow keeps. */
export type ExecutionView = InterpreterExecutionView & { webhookDeadLetters: DeadLetter[] };

export const getExecutionQuery = defineQuery<ExecutionView>('getExecution');
export const getEventsQuery = defineQuery<EventsPage, [{ sinceSeq: number; pageSize: number }]>('getEvents');

export const recordReviewerDecisionUpdate = defineUpdate<AggregatorReply, [Omit<RecordReviewerDecisionRequest, 'executionId'>]>(
  'recordReviewerDecision',
);
export const recordAgentResolutionUpdate = defineUpdate<AggregatorReply, [Omit<NormalizedAgentResolution, 'executionId'>]>(
  'recordAgentResolution',
);
export const cancelStepUpdate = defineUpdate<void, [StepActionRequest]>('cancelStep');
export const resolveStepUpdate = defineUpdate<void, [Omit<ResolveStepRequest, 'executionId'>]>('resolveStep');
export const cancelExecutionUpdate = defineUpdate<void, [{ reason?: string | undefined }]>('cancelExecution');
/** A repeated dispatch with the same idempotency key (recorded as the internal `idempotency.suppressed`). */
export const idempotencySuppressedSignal = defineSignal<[{ at: number }]>('idempotencySuppressed');
