import { ApplicationFailure } from '@temporalio/activity';
import type { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import { AGENT_FAILURE, type AgentRunResult, type RunAgentInput } from './agent-types';
import { runHttpAgent } from './http-agent';
import { runMockAgent } from './mock-agent';

export const MOCK_AGENT_ID = '__mock__';

export const createRunAgent =
  (registry: WorkspaceRegistry) =>
  async (input: RunAgentInput): Promise<AgentRunResult> => {
    if (input.agentId === MOCK_AGENT_ID) return runMockAgent(input);
    const agent = registry.agent(input.workspaceId, input.agentId);
    if (!agent) {
      throw ApplicationFailure.nonRetryable(`agent ${input.agentId} is not registered for this workspace`, AGENT_FAILURE.notRegistered);
    }
    return runHttpAgent(agent, input);
  };
