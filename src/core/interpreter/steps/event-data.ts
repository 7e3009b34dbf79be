import { MOCK_AGENT_ID } from '../../definition/schema/mock-agent';
import { agentExecutionId } from '../ids';
import type { AgentSpec } from '../plan';
import type { StepError, StepState } from '../state';
import type { Tx } from '../transaction';
import { completedData } from './finish';

/*
 * The data of step events per generation (docs/behaviour.md, "G3 runtime"). A `g2` run emits the
 * seed's payloads unchanged; a `g3` run emits supersets of them with Velt's newer fields, so a
 * receiver written for either reads what it expects.
 */

/**
 * What ended an agent step's wait: its run answered (`agent`), its ceiling ran out (`timeout`),
 * resolutions decided a blocking agent (`resolution`), an operator resolved it (`override`), or it
 * failed before any agent was called (`engine`).
 */
export type AgentEventSource = 'agent' | 'timeout' | 'resolution' | 'override' | 'engine';

/** `{ agentExecutionId, agentExecutionStatus, decision, source }` (+ `agentId`, and `synthetic` for `__mock__`). */
const g3AgentFields = (step: StepState, source: AgentEventSource): Record<string, unknown> => ({
  agentId: step.agent?.agentId ?? null,
  agentExecutionId: source === 'engine' ? null : agentExecutionId(step.stepId),
  agentExecutionStatus: step.output.agentExecutionStatus ?? null,
  decision: step.output.decision ?? null,
  source,
  ...(step.agent?.agentId === MOCK_AGENT_ID ? { synthetic: true } : {}),
});

/** `step.awaiting-approval` of a `g3` agent step whose agent is running. */
export const awaitingAgentData = (step: StepState, spec: AgentSpec): Record<string, unknown> => ({
  agentId: spec.agentId,
  agentExecutionId: agentExecutionId(step.stepId),
  pollIntervalMs: spec.pollIntervalMs,
});

/** The agent fields a `g3` run adds to an agent step's terminal event; nothing otherwise. */
export const agentEventFields = (tx: Tx, step: StepState, source: AgentEventSource): Record<string, unknown> =>
  tx.plan.generation === 'g3' && step.nodeType === 'agent' ? g3AgentFields(step, source) : {};

/** `step.completed`: the seed's payload, plus the agent fields for an agent step of a `g3` run. */
export const completedEventData = (
  tx: Tx,
  step: StepState,
  aggregatorBacked: boolean,
  source: AgentEventSource,
): Record<string, unknown> => ({
  ...completedData(step, aggregatorBacked),
  ...agentEventFields(tx, step, source),
});

/**
 * `step.failed`: the seed's `{ error }`, plus in a `g3` run the agent fields for an agent step
 * and `reason` for a human step (`force-failed`: the only way a human step fails here).
 */
export const failedEventData = (
  tx: Tx,
  step: StepState,
  error: StepError,
  source: AgentEventSource,
  reason?: string,
): Record<string, unknown> => {
  if (tx.plan.generation !== 'g3') return { error };
  switch (step.nodeType) {
    case 'agent':
      return { error, ...(reason === undefined ? {} : { reason }), ...g3AgentFields(step, source) };
    case 'human':
      return { error, reason: reason ?? error.code };
    case 'webhook':
      return { error };
  }
};
