import type { SearchAttributePair } from '@temporalio/common';
import type { StoredDefinition } from '../core/definition/stored';
import type { ExecutionWorkflowInput } from './execution-messages';
import { SA } from './search-attributes';

/**
 * A schedule trigger is a Temporal Schedule (docs/inbound.md, "Schedules") whose action is the
 * `scheduledRunWorkflow`: it starts the same execution workflow a dispatch starts, pinned to the
 * definition version the schedule was written with, and stays open until that run ends, so the
 * schedule's skip-on-overlap policy skips instants while the previous run is still going.
 */
export interface ScheduledRunInput {
  workspaceId: string;
  triggerId: string;
  definition: StoredDefinition;
  payload: Record<string, unknown> | null;
  indexed: boolean;
}

export interface ScheduledRunResult {
  /** Null when the firing found its trigger removed or disabled (and put the schedule right). */
  executionId: string | null;
}

export const triggerScheduleId = (workspaceId: string, definitionId: string, triggerId: string): string =>
  `approval-sched/${workspaceId}/${definitionId}/${triggerId}`;

/** Temporal appends the scheduled instant to this id for each run. */
export const scheduledRunWorkflowId = (workspaceId: string, definitionId: string, triggerId: string): string =>
  `approval-sched-run/${workspaceId}/${definitionId}/${triggerId}`;

/** The search attributes an execution starts with (the same set a dispatch gives it). */
export const executionStartAttributes = (input: ExecutionWorkflowInput): SearchAttributePair[] =>
  input.indexed
    ? [
        { key: SA.kind, value: 'execution' },
        { key: SA.workspace, value: input.workspaceId },
        { key: SA.definitionId, value: input.definition.definitionId },
        { key: SA.status, value: 'running' },
        { key: SA.correlationId, value: input.correlationId },
        { key: SA.startedAt, value: input.dispatchedAt },
      ]
    : [];
