import type { z } from 'zod';
import { EngineError } from '../../src/core/errors';
import type { StepView } from '../../src/core/interpreter';
import { CancelStepRequestSchema, ResolveStepRequestSchema } from '../../src/core/requests/step-requests';
import { describeZodError } from '../../src/core/zod-message';
import type { Principal } from '../../src/infra/auth/workspace-registry';
import { cancelStep, resolveStep } from '../endpoints/steps';
import type { EngineServices } from '../services';

/** What an admin may do to one open step from the run view: the admin actions of steps/resolve, and steps/cancel. */
export const STEP_ACTIONS = ['force-approve', 'force-reject', 'force-complete', 'force-fail', 'cancel'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const STEP_ACTION_LABELS: Record<StepAction, string> = {
  'force-approve': 'Force approve',
  'force-reject': 'Force reject',
  'force-complete': 'Force complete',
  'force-fail': 'Force fail',
  cancel: 'Cancel step',
};

/** The actions the REST API allows on a step in this status (docs/api.md, "steps/resolve" and "steps/cancel"). */
export const stepActionsFor = (step: Pick<StepView, 'status'>): StepAction[] => {
  if (step.status === 'waiting') return [...STEP_ACTIONS];
  if (step.status === 'running') return ['force-complete', 'force-fail', 'cancel'];
  return [];
};

export interface StepActionForm {
  executionId: string;
  stepId: string;
  action: unknown;
  actorId: unknown;
  reason: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

const invalid = (error: z.ZodError) => new EngineError('INVALID_ARGUMENT', describeZodError(error, 'form').join('; '));

/**
 * Applies one action through the endpoint's own handler, so the page checks exactly what the REST
 * API checks (admin token, step status, the run's workspace) and records the same happening.
 */
export const applyStepAction = async (
  form: StepActionForm,
  context: { principal: Principal; services: EngineServices },
): Promise<StepAction> => {
  const action = STEP_ACTIONS.find((candidate) => candidate === form.action);
  if (!action) throw new EngineError('INVALID_ARGUMENT', `form.action must be one of ${STEP_ACTIONS.join(', ')}`);
  const reason = text(form.reason);
  const base = { executionId: form.executionId, stepId: form.stepId, actorId: text(form.actorId), ...(reason ? { reason } : {}) };
  if (action === 'cancel') {
    const parsed = CancelStepRequestSchema.safeParse(base);
    if (!parsed.success) throw invalid(parsed.error);
    await cancelStep.handle(parsed.data, { ...context, raw: { ...parsed.data } });
  } else {
    const parsed = ResolveStepRequestSchema.safeParse({ ...base, action });
    if (!parsed.success) throw invalid(parsed.error);
    await resolveStep.handle(parsed.data, { ...context, raw: { ...parsed.data } });
  }
  return action;
};
