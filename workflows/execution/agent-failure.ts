import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { AgentFailureDetails } from '../../activities/agent-types';
import type { AgentErrorCode } from '../../src/core/interpreter';

/** The attempt the activity reported in its final failure (a timeout carries the last attempt's failure as its cause, if any). */
const attemptOf = (error: unknown): number | undefined => {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    if (current instanceof ApplicationFailure) {
      const [details] = current.details ?? [];
      const attempt = (details as Partial<AgentFailureDetails> | undefined)?.attempt;
      if (typeof attempt === 'number') return attempt;
    }
  }
  return undefined;
};

/** Maps what the agent activity threw to the step error codes (docs/behaviour.md, "Agents"), with the attempts it used when known. */
export const agentFailure = (error: unknown): { code: AgentErrorCode; message: string; attempts: number | undefined } => {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const attempts = attemptOf(cause);
  // Every attempt stopped heartbeating (its worker died or hung): a failure of the agent's runs,
  // not the runtime ceiling, which would have ended the last attempt with SCHEDULE_TO_CLOSE.
  if (cause instanceof TimeoutFailure && cause.timeoutType === 'HEARTBEAT') {
    return { code: 'agent-failed', message: 'every attempt of the agent was lost (no heartbeat from its worker)', attempts };
  }
  if (cause instanceof TimeoutFailure) {
    return { code: 'agent-timeout', message: 'the agent did not finish within agentMaxRuntimeMs', attempts };
  }
  if (cause instanceof ApplicationFailure && cause.type === 'agent-not-registered') {
    return { code: 'agent-not-registered', message: cause.message, attempts };
  }
  return { code: 'agent-failed', message: cause instanceof Error ? cause.message : String(cause), attempts };
};
