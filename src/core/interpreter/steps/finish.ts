import type { StepError, StepState, StepStatus } from '../state';
import { agentRunInFlight, isTerminalStep, webhookCallInFlight } from '../state';
import type { Tx } from '../transaction';

export type TerminalStatus = Extract<StepStatus, 'completed' | 'failed' | 'cancelled' | 'breached'>;

export interface Finish {
  status: TerminalStatus;
  /** The external event's data (docs/events.md, "External event types"). */
  data: Record<string, unknown>;
  error?: StepError | null;
  /** The agent activity itself reported; no cancelAgent is needed. */
  agentDone?: boolean;
}

const EVENT_TYPE = {
  completed: 'step.completed',
  failed: 'step.failed',
  cancelled: 'step.cancelled',
  breached: 'step.breached',
} as const satisfies Record<TerminalStatus, string>;

/**
 * Moves a live step to a terminal status: stamps it, emits the external event, stops its agent,
 * webhook call and SLA timer, and queues it on the agenda for routing. A step that is already terminal is left
 * alone (returns false), which makes every late or racing happening harmless.
 */
export const finishStep = (tx: Tx, step: StepState, finish: Finish): boolean => {
  if (isTerminalStep(step.status)) return false;
  const agentInFlight = agentRunInFlight(step);
  const webhookInFlight = webhookCallInFlight(step);
  step.status = finish.status;
  step.completedAt = tx.now;
  if (finish.error !== undefined) step.error = finish.error;
  tx.emit(EVENT_TYPE[finish.status], step.stepId, finish.data);
  if (agentInFlight && finish.agentDone !== true) tx.command({ kind: 'cancelAgent', stepId: step.stepId });
  // A call still out when its step ends (called back early, resolved, breached, cancelled) is abandoned.
  if (webhookInFlight) tx.command({ kind: 'cancelWebhook', stepId: step.stepId });
  if (step.slaDeadlineAt !== null && finish.status !== 'breached') tx.command({ kind: 'cancelSlaTimer', stepId: step.stepId });
  tx.agenda.push(step.stepId);
  return true;
};

/** `step.completed` data: aggregator-backed steps (human, blocking agent) vs plain agents (docs/events.md, "External event types"). */
export const completedData = (step: StepState, aggregatorBacked: boolean): Record<string, unknown> => {
  if (step.nodeType === 'human' || step.agent?.blocking === true) {
    return {
      aggregatorStatus: step.output.aggregatorStatus ?? null,
      nodeType: step.nodeType,
      decision: step.output.decision ?? null,
      aggregatorBacked,
    };
  }
  if (step.nodeType === 'webhook')
    return { nodeType: 'webhook', mode: step.webhook?.mode ?? 'sync', httpStatus: step.webhook?.httpStatus ?? null };
  return { agentId: step.agent?.agentId ?? null };
};

export const cancelData = (actorId: string, reason: string | null): Record<string, unknown> => ({ actorId, reason });

export const SYSTEM_ACTORS = {
  groupQuorum: 'system:group-quorum',
  loopRestart: 'system:loop-restart',
  loopExhausted: 'system:loop-exhausted',
  executionCancel: 'system:execution-cancel',
} as const;
