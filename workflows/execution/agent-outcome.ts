import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { AgentErrorCode } from '../../src/core/interpreter';

/** Maps what the agent activity threw to the step error codes of decisions §5. */
export const agentFailure = (error: unknown): { code: AgentErrorCode; message: string } => {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof TimeoutFailure) {
    return { code: 'agent-timeout', message: 'the agent did not finish within agentMaxRuntimeMs' };
  }
  if (cause instanceof ApplicationFailure && cause.type === 'agent-not-registered') {
    return { code: 'agent-not-registered', message: cause.message };
  }
  return { code: 'agent-failed', message: cause instanceof Error ? cause.message : String(cause) };
};
