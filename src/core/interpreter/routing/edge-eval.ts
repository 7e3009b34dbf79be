import type { WhenScope } from '../../when';
import type { PlanEdge } from '../plan';
import { planNode } from '../plan';
import type { ExecutionState, StepState } from '../state';
import type { Tx } from '../transaction';
import { gatePasses } from './when-gate';

/** `step.*` of docs/api.md, "`when` expressions". */
export const stepFields = (step: StepState): Record<string, unknown> => ({
  stepId: step.stepId,
  nodeId: step.nodeId,
  nodeType: step.nodeType,
  status: step.status,
  startedAt: step.startedAt,
  completedAt: step.completedAt,
  durationMs: step.startedAt !== null && step.completedAt !== null ? step.completedAt - step.startedAt : null,
  retryCount: step.retryCount,
  iteration: step.iteration,
});

export const stepScope = (state: ExecutionState, step: StepState): WhenScope => ({
  output: step.output,
  step: stepFields(step),
  execution: { input: state.triggerContext },
});

/** The step's own outgoing edges whose gate passes, in definition order (cancelled steps: none). */
export const firingEdges = (tx: Tx, step: StepState): PlanEdge[] => {
  if (step.status !== 'completed' && step.status !== 'failed' && step.status !== 'breached' && step.status !== 'skipped') return [];
  const scope = stepScope(tx.state, step);
  return planNode(tx.plan, step.nodeId).out.filter((edge) =>
    gatePasses(tx, edge.when, scope, () => `edge ${edge.from} -> ${edge.to} (from step ${step.stepId})`),
  );
};
