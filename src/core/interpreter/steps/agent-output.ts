import type { AgentRunOutcome } from '../happenings';
import type { AgentSpec } from '../plan';

/**
 * Agent step output (docs/api.md, "Runtime views"): the agent's own fields first, then the engine's fields, which
 * win on a clash so `when` gates can rely on them.
 */
export const agentRunOutput = (
  spec: AgentSpec,
  url: string | null,
  result: AgentRunOutcome,
  durationMs: number,
): Record<string, unknown> => {
  const passed = result.status === 'passed';
  return {
    ...result.output,
    agentId: spec.agentId,
    agentExecutionStatus: passed ? 'passed' : 'failed',
    agentResultsSummary: result.summary ?? null,
    decision: passed ? 'approve' : 'reject',
    resolvedUrl: url,
    agentDurationMs: durationMs,
    ...(result.responseIds.length > 0 ? { responseIds: [...result.responseIds] } : {}),
  };
};

/** Output of an agent step whose run errored (the step fails; `decision` is `reject`, G3 reading). */
export const agentErrorOutput = (spec: AgentSpec, url: string | null, durationMs: number): Record<string, unknown> => ({
  agentId: spec.agentId,
  agentExecutionStatus: 'failed',
  agentResultsSummary: null,
  decision: 'reject',
  resolvedUrl: url,
  agentDurationMs: durationMs,
});

export const isEmptyOutput = (output: Record<string, unknown>): boolean => Object.keys(output).length === 0;
