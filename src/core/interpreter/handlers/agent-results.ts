import { agentErrorOutput, agentRunOutput, isEmptyOutput } from '../steps/agent-output';
import { resolvedUrlOf } from '../steps/agent-run';
import { parkBlockingAgent } from '../steps/blocking-agent';
import { completedEventData, failedEventData } from '../steps/event-data';
import { finishStep } from '../steps/finish';
import type { AgentFailed, AgentRetried, AgentSucceeded } from '../happenings';
import { agentExecutionId } from '../ids';
import type { AgentSpec } from '../plan';
import { planNode } from '../plan';
import type { StepState } from '../state';
import { agentRunInFlight } from '../state';
import type { Tx } from '../transaction';

/** The step an agent result is for, if it is still waiting for one; late results are dropped. */
const runningAgent = (tx: Tx, stepId: string): { step: StepState; spec: AgentSpec } | null => {
  const step = tx.find(stepId);
  if (!tx.running || !step || !agentRunInFlight(step)) return null;
  const spec = planNode(tx.plan, step.nodeId).agent;
  return spec ? { step, spec } : null;
};

/**
 * The activity attempts a run used (1 = no retry) become the step's `retryCount`, with one
 * internal `step.retried` per retry not reported before (Temporal retried it server-side, so only
 * the final answer tells; the message of an earlier attempt is not known then).
 */
const noteAttempts = (tx: Tx, step: StepState, attempts: number | undefined): void => {
  if (attempts === undefined) return;
  for (let retry = step.retryCount + 1; retry < attempts; retry += 1) {
    step.retryCount = retry;
    tx.emit('step.retried', step.stepId, { attempt: retry, message: null });
  }
};

const duration = (tx: Tx, step: StepState, measured: number | undefined): number => measured ?? tx.now - (step.startedAt ?? tx.now);

/** A `g3` agent step's output also names its agent run. */
const withRunId = (tx: Tx, step: StepState, output: Record<string, unknown>): Record<string, unknown> =>
  tx.plan.generation === 'g3' ? { ...output, agentExecutionId: agentExecutionId(step.stepId) } : output;

const failAgent = (tx: Tx, step: StepState, spec: AgentSpec, code: string, message: string, durationMs: number): void => {
  step.output = withRunId(tx, step, agentErrorOutput(spec, resolvedUrlOf(spec, tx.state.triggerContext, tx.plan.generation), durationMs));
  const error = { code, message };
  const data = failedEventData(tx, step, error, code === 'agent-timeout' ? 'timeout' : 'agent');
  finishStep(tx, step, { status: 'failed', error, data, agentDone: true });
};

export const onAgentSucceeded = (tx: Tx, h: AgentSucceeded): void => {
  const target = runningAgent(tx, h.stepId);
  if (!target) return;
  const { step, spec } = target;
  noteAttempts(tx, step, h.attempts);
  if (spec.requireNonEmptyOutput && isEmptyOutput(h.result.output)) {
    const message = `agent ${spec.agentId} returned an empty output (requireNonEmptyOutput)`;
    failAgent(tx, step, spec, 'agent-empty-output', message, duration(tx, step, h.durationMs));
    return;
  }
  const url = resolvedUrlOf(spec, tx.state.triggerContext, tx.plan.generation);
  step.output = withRunId(tx, step, agentRunOutput(spec, url, h.result, duration(tx, step, h.durationMs)));
  if (step.agent) step.agent.responseIds = [...h.result.responseIds];
  if (spec.blocking) {
    parkBlockingAgent(tx, step, spec);
    return;
  }
  finishStep(tx, step, { status: 'completed', data: completedEventData(tx, step, false, 'agent'), agentDone: true });
};

export const onAgentFailed = (tx: Tx, h: AgentFailed): void => {
  const target = runningAgent(tx, h.stepId);
  if (!target) return;
  noteAttempts(tx, target.step, h.attempts);
  failAgent(tx, target.step, target.spec, h.code, h.message, duration(tx, target.step, h.durationMs));
};

export const onAgentRetried = (tx: Tx, h: AgentRetried): void => {
  const target = runningAgent(tx, h.stepId);
  if (!target) return;
  target.step.retryCount = Math.max(target.step.retryCount, h.attempt);
  tx.emit('step.retried', h.stepId, { attempt: h.attempt, message: h.message });
};
