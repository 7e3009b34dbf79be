import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { AgentErrorCode } from '../../src/core/interpreter';

/** Maps what the agent activity threw to the step error codes (docs/behaviour.md, "Agents"). */
export const agentFailure = (error: unknown): { code: AgentErrorCode; message: string } => {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  // Every attempt stopped heartbeating (its worker died or hung): a failure of the agent's runs,
  // not the runtime ceiling, which would have ended the last attempt with SCHEDULE_TO_CLOSE.
  if (cause instanceof TimeoutFailure && cause.timeoutType === 'HEARTBEAT') {
    return { code: 'agent-failed', message: 'every attempt of the agent was lost (no heartbeat from its worker)' };
  }
  if (cause instanceof TimeoutFailure) {
    return { code: 'agent-timeout', message: 'the agent did not finish within agentMaxRuntimeMs' };
  }
  if (cause instanceof ApplicationFailure && cause.type === 'agent-not-registered') {
    return { code: 'agent-not-registered', message: cause.message };
  }
  return { code: 'agent-failed', message: cause instanceof Error ? cause.message : String(cause) };
};
