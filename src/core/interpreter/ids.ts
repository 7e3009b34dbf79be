import { randomAlnum } from '../ids';

/** Id rules of docs/runtime.md, "Step ids"; all deterministic given the workflow's clock and random source. */

export const rootStepId = (nodeId: string, now: number, random: () => number): string => `step_${nodeId}_${now}_${randomAlnum(6, random)}`;

export const childStepId = (parentStepId: string, nodeId: string): string => `${parentStepId}__to__${nodeId}`;

export const joinStepId = (groupId: string, nodeId: string): string => `group_${groupId}__to__${nodeId}`;

export const exhaustedStepId = (loopId: string, nodeId: string): string => `loop_${loopId}__exhausted__to__${nodeId}`;

/** Loop iteration N ≥ 2 appends `__iter_<N>` to the id the step would otherwise have. */
export const withIteration = (stepId: string, iteration: number): string => (iteration >= 2 ? `${stepId}__iter_${iteration}` : stepId);

export const eventId = (executionId: string, seq: number): string => `evt_${executionId}_${seq}`;

export const humanResumeKey = (stepId: string): string => `human:${stepId}`;

export const agentResumeKey = (stepId: string): string => `agent:${stepId}`;

/** What a `g3` agent step reports as its agent run's id; one run per step (docs/behaviour.md, "G3 runtime"). */
export const agentExecutionId = (stepId: string): string => `agentexec_${stepId}`;

export const webhookResumeKey = (stepId: string): string => `webhook:${stepId}`;
