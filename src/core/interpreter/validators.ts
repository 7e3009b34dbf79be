import { EngineError, failedPrecondition, notFound } from '../errors';
import { hasResolution } from './steps/blocking-agent';
import type { ResolveAction } from './happenings';
import type { Generation } from './plan';
import { hasResponded, isReviewer } from './steps/human-aggregator';
import type { ExecutionState, StepState, StepStatus } from './state';
import { findStep, isTerminalStep } from './state';

/*
 * Pure checks for the workflow's Update validators (and re-run by `apply`, which throws what they
 * return). Each returns the error the endpoint answers with, or null; none changes state. Where
 * the generations differ, the run's `generation` (the plan's) is passed; it defaults to `g2`.
 */

const stepOrError = (state: ExecutionState, stepId: string): StepState | EngineError =>
  findStep(state, stepId) ?? notFound(`step ${stepId} not found in execution ${state.executionId}`);

const notWaiting = (step: StepState): EngineError =>
  failedPrecondition(
    isTerminalStep(step.status)
      ? `step ${step.stepId} is already ${step.status}`
      : `step ${step.stepId} is not waiting (status: ${step.status})`,
  );

export const checkReviewerDecision = (
  state: ExecutionState,
  req: { stepId: string; reviewerId: string },
  generation: Generation = 'g2',
): EngineError | null => {
  const step = stepOrError(state, req.stepId);
  if (step instanceof EngineError) return step;
  if (step.nodeType !== 'human' || !step.human) return failedPrecondition(`step ${step.stepId} is not a human step`);
  // A reviewer who already answered gets the idempotent `recorded: false`, whatever the status now.
  if (step.status === 'waiting' || hasResponded(step.human, req.reviewerId)) return null;
  // G3: a call that lands after the aggregator decided is `recorded: false` with `already-terminal` (or `unknown-responder`).
  if (generation === 'g3' && step.human.status !== 'pending') return null;
  return notWaiting(step);
};

export const checkAgentResolution = (state: ExecutionState, req: { stepId: string; resolutionId: string }): EngineError | null => {
  const step = stepOrError(state, req.stepId);
  if (step instanceof EngineError) return step;
  if (step.nodeType !== 'agent' || !step.agent) return failedPrecondition(`step ${step.stepId} is not an agent step`);
  if (!step.agent.blocking) return failedPrecondition(`step ${step.stepId} is not a blocking agent step`);
  if (step.status !== 'waiting' && !hasResolution(step.agent, req.resolutionId)) return notWaiting(step);
  // A `g3` blocking agent waits while its run is in flight; resolutions count only once it has answered.
  if (step.status === 'waiting' && step.agent.status === null) {
    return failedPrecondition(`step ${step.stepId} is waiting for its agent run to finish; resolutions are recorded after it`);
  }
  return null;
};

/** The callback of an async webhook step (docs/inbound.md, "Webhook nodes"): it must be waiting for one. */
export const checkWebhookCallback = (state: ExecutionState, req: { stepId: string }): EngineError | null => {
  const step = stepOrError(state, req.stepId);
  if (step instanceof EngineError) return step;
  if (step.nodeType !== 'webhook' || step.webhook?.mode !== 'async')
    return failedPrecondition(`step ${step.stepId} is not an async webhook step`);
  return step.status === 'waiting' ? null : notWaiting(step);
};

export const checkStepCancel = (state: ExecutionState, req: { stepId: string }): EngineError | null => {
  const step = stepOrError(state, req.stepId);
  if (step instanceof EngineError) return step;
  return isTerminalStep(step.status) ? failedPrecondition(`step ${step.stepId} is already ${step.status}`) : null;
};

/**
 * The action matrix of docs/api.md, "steps/resolve" with its G2 errors, widened as G3 does: approve/reject act on
 * any waiting step (docs/behaviour.md, "G3 runtime").
 */
export const checkResolve = (
  state: ExecutionState,
  req: { stepId: string; action: ResolveAction; actorId: string },
): EngineError | null => {
  const step = stepOrError(state, req.stepId);
  if (step instanceof EngineError) return step;
  switch (req.action) {
    case 'force-approve':
    case 'force-reject':
      return step.status === 'waiting' ? null : notWaiting(step);
    case 'reviewer-approve':
    case 'reviewer-reject':
      if (step.nodeType !== 'human' || !step.human) return failedPrecondition(`${req.action} applies to human steps only`);
      if (!isReviewer(step.human, req.actorId)) {
        return new EngineError('PERMISSION_DENIED', `actorId ${req.actorId} is not a reviewer of step ${step.stepId}`);
      }
      return step.status === 'waiting' ? null : notWaiting(step);
    case 'force-complete':
    case 'force-fail':
      if (step.status === 'running' || step.status === 'waiting') return null;
      return isTerminalStep(step.status)
        ? failedPrecondition(`step ${step.stepId} is already ${step.status}`)
        : failedPrecondition(`${req.action} needs a running or waiting step (status: ${step.status})`);
  }
};

/**
 * A step action on a run whose workflow has closed (no Update reaches it any more), answered from
 * its final view: NOT_FOUND for an unknown step, else FAILED_PRECONDITION.
 */
export const endedRunRefusal = (view: { steps: readonly { stepId: string; status: StepStatus }[] }, stepId: string): EngineError => {
  const step = view.steps.find((candidate) => candidate.stepId === stepId);
  if (!step) return notFound(`step ${stepId} not found`);
  return failedPrecondition(`step ${stepId} is ${step.status}; the execution has ended`);
};
