import type { AgentCallExtras } from '../src/core/interpreter';

export interface RunAgentInput extends AgentCallExtras {
  workspaceId: string;
  executionId: string;
  stepId: string;
  agentId: string;
  url: string | null;
  promptOverride: string | null;
  input: Record<string, unknown>;
  /** `config.inputMapping.mock`, only read for the `__mock__` agent. */
  mock?: unknown;
  /** The dispatch's scope ids, when it sent them. */
  organizationId?: string | undefined;
  documentId?: string | undefined;
}

export interface AgentRunResult {
  status: 'passed' | 'failed';
  summary: unknown;
  output: Record<string, unknown>;
  responseIds: string[];
}

/**
 * What the runAgent activity returns: the agent's answer and the activity attempt that got it
 * (1 = first try), so the step's `retryCount` is known. Runs recorded before the attempt was
 * reported have none.
 */
export interface AgentRunReport extends AgentRunResult {
  attempt?: number;
}

/** Carried in the details of the final ApplicationFailure of a run that failed. */
export interface AgentFailureDetails {
  attempt: number;
}

/** Failure types the workflow maps to step error codes. */
export const AGENT_FAILURE = {
  notRegistered: 'agent-not-registered',
  failed: 'agent-failed',
} as const;
