import { agentResumeKey } from '../ids';
import { awaitingAgentData } from './event-data';
import type { AgentSpec } from '../plan';
import type { AgentResolution, AgentState, Decision, StepState } from '../state';
import type { Tx } from '../transaction';

/*
 * Blocking agents (docs/runtime.md, "Aggregators"): after the agent run the step parks in `waiting`;
 * `allResolved` waits for a `success` per reported response id (one when none were reported),
 * `minResolved` for `minCount` successes; any `failure` rejects.
 */

export const expectedResolutions = (spec: AgentSpec, agent: AgentState): number =>
  spec.policy.kind === 'minResolved' ? spec.policy.minCount : Math.max(1, agent.responseIds.length);

const successes = (agent: AgentState): AgentResolution[] => agent.resolutions.filter((r) => r.status === 'success');

const satisfied = (spec: AgentSpec, agent: AgentState): boolean => {
  if (spec.policy.kind === 'minResolved') return successes(agent).length >= spec.policy.minCount;
  if (agent.responseIds.length === 0) return successes(agent).length >= 1;
  const done = new Set(successes(agent).map((r) => r.resolutionId));
  return agent.responseIds.every((id) => done.has(id));
};

const counters = (agent: AgentState, spec: AgentSpec): Record<string, unknown> => ({
  aggregatorStatus: agent.status,
  expectedResolutions: expectedResolutions(spec, agent),
  resolvedCount: successes(agent).length,
  failureCount: agent.resolutions.filter((r) => r.status === 'failure').length,
  resolutions: agent.resolutions.map((r) => ({ resolutionId: r.resolutionId, status: r.status, errorMessage: r.errorMessage })),
});

/**
 * The agent ran: park the step and announce it like a human step. A `g3` step already waited
 * while its agent ran; this second `step.awaiting-approval` (now for the resolutions) also
 * repeats the agent fields of the first.
 */
export const parkBlockingAgent = (tx: Tx, step: StepState, spec: AgentSpec): void => {
  const agent = step.agent;
  if (!agent) return;
  agent.status = 'pending';
  step.status = 'waiting';
  // Until a resolution decides, the run's own verdict is not the step's decision.
  delete step.output.decision;
  Object.assign(step.output, counters(agent, spec));
  const expected = expectedResolutions(spec, agent);
  tx.emit('step.awaiting-approval', step.stepId, {
    waitingForReviewers: expected,
    mandatoryCount: expected,
    resumeKey: agentResumeKey(step.stepId),
    ...(tx.plan.generation === 'g3' ? awaitingAgentData(step, spec) : {}),
  });
};

export const hasResolution = (agent: AgentState, resolutionId: string): boolean =>
  agent.resolutions.some((r) => r.resolutionId === resolutionId);

/** Records one resolution; a replayed `resolutionId` is not applied. */
export const recordResolution = (
  agent: AgentState,
  spec: AgentSpec,
  resolution: AgentResolution,
): { recorded: boolean; tipped: boolean } => {
  if (hasResolution(agent, resolution.resolutionId)) return { recorded: false, tipped: false };
  agent.resolutions.push(resolution);
  if (agent.status !== 'pending') return { recorded: true, tipped: false };
  if (resolution.status === 'failure') agent.status = 'rejected';
  else if (satisfied(spec, agent)) agent.status = 'resolved';
  return { recorded: true, tipped: agent.status !== 'pending' };
};

export const refreshAgentOutput = (step: StepState, spec: AgentSpec): void => {
  if (step.agent) Object.assign(step.output, counters(step.agent, spec));
};

/** Final output: success outputs merged under the engine's fields, then the verdict. */
export const resumeAgentOutput = (step: StepState, spec: AgentSpec, now: number): void => {
  const agent = step.agent;
  if (!agent) return;
  const merged: Record<string, unknown> = {};
  for (const r of successes(agent)) Object.assign(merged, r.output);
  const decision: Decision = agent.status === 'resolved' ? 'approve' : 'reject';
  step.output = { ...merged, ...step.output, ...counters(agent, spec), decision, approved: decision === 'approve', resumedAt: now };
};
