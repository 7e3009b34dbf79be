export interface RunAgentInput {
  workspaceId: string;
  executionId: string;
  stepId: string;
  agentId: string;
  url: string | null;
  promptOverride: string | null;
  input: Record<string, unknown>;
  /** `config.inputMapping.mock`, only read for the `__mock__` agent. */
  mock?: unknown;
}

export interface AgentRunResult {
  status: 'passed' | 'failed';
  summary: unknown;
  output: Record<string, unknown>;
  responseIds: string[];
}

/** Failure types the workflow maps to step error codes. */
export const AGENT_FAILURE = {
  notRegistered: 'agent-not-registered',
  failed: 'agent-failed',
} as const;
