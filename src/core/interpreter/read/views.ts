import { materializeInput } from './inputs';
import type { ExecutionState, ExecutionStatus, FailureReason, StepError, StepState, StepStatus } from '../state';
import type { NodeType } from '../plan';

/** StepView (docs/api.md, "Runtime views"), plus `input` for fan-in, loop and exhausted-route steps. */
export interface StepView {
  stepId: string;
  nodeId: string;
  nodeType: NodeType;
  status: StepStatus;
  groupId: string | null;
  startedAt: number | null;
  completedAt: number | null;
  output: Record<string, unknown>;
  error: StepError | null;
  input?: Record<string, unknown>;
  /**
   * Extension: present only while an agent step waits for a slot of its workspace's running-agent
   * limit (docs/behaviour.md, "Workspace limits"); the name of that limit.
   */
  queuedBehindLimit?: string;
}

/** ExecutionView (docs/api.md, "Runtime views"). */
export interface ExecutionView {
  executionId: string;
  status: ExecutionStatus;
  startedAt: number;
  completedAt: number | null;
  cancelledAt: number | null;
  definitionId: string;
  definitionVersion: number;
  correlationId: string;
  idempotencyKey: string;
  failureReason: FailureReason | null;
  steps: StepView[];
}

export const toStepView = (state: ExecutionState, step: StepState): StepView => {
  const input = materializeInput(state, step.input);
  return {
    stepId: step.stepId,
    nodeId: step.nodeId,
    nodeType: step.nodeType,
    status: step.status,
    groupId: step.groupId,
    startedAt: step.startedAt,
    completedAt: step.completedAt,
    output: step.output,
    error: step.error,
    ...(input === null ? {} : { input }),
  };
};

/** Steps in creation order. The view shares no mutable structure with the state. */
export const toExecutionView = (state: ExecutionState): ExecutionView =>
  JSON.parse(
    JSON.stringify({
      executionId: state.executionId,
      status: state.status,
      startedAt: state.startedAt,
      completedAt: state.completedAt,
      cancelledAt: state.cancelledAt,
      definitionId: state.definitionId,
      definitionVersion: state.definitionVersion,
      correlationId: state.correlationId,
      idempotencyKey: state.idempotencyKey,
      failureReason: state.failureReason,
      steps: state.steps.map((step) => toStepView(state, step)),
    } satisfies ExecutionView),
  ) as ExecutionView;
