import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import { AGENT_FAILURE, type AgentFailureDetails, type AgentRunReport, type AgentRunResult, type RunAgentInput } from './agent-types';
import { runHttpAgent, type HttpAgentOptions } from './http-agent';
import { runMockAgent, type MockAgentPolicy } from './mock-agent';
import { MOCK_AGENT_ID } from '../src/core/definition/schema/agent-config';

/** The failure as Temporal would report it, with the attempt in its details (the workflow reads `retryCount` from it). */
const withAttempt = (error: unknown, attempt: number, cancelled: boolean): unknown => {
  // A cancelled run must stay a cancellation for the worker to report it as one.
  if (cancelled || error instanceof CancelledFailure) return error;
  const details: AgentFailureDetails[] = [{ attempt }];
  if (error instanceof ApplicationFailure) {
    return ApplicationFailure.create({
      message: error.message,
      type: error.type ?? undefined,
      nonRetryable: error.nonRetryable ?? undefined,
      details,
      cause: error.cause,
    });
  }
  if (!(error instanceof Error)) return error;
  return ApplicationFailure.create({ message: error.message, type: error.name, details, cause: error });
};

const run = (
  registry: WorkspaceRegistry,
  input: RunAgentInput,
  options: HttpAgentOptions,
  mockPolicy: MockAgentPolicy | undefined,
): Promise<AgentRunResult> => {
  if (input.agentId === MOCK_AGENT_ID) return runMockAgent(input, mockPolicy);
  const agent = registry.agent(input.workspaceId, input.agentId);
  if (!agent) {
    throw ApplicationFailure.nonRetryable(`agent ${input.agentId} is not registered for this workspace`, AGENT_FAILURE.notRegistered);
  }
  return runHttpAgent(agent, input, options);
};

export const createRunAgent =
  (registry: WorkspaceRegistry, options: HttpAgentOptions, mockPolicy?: MockAgentPolicy) =>
  async (input: RunAgentInput): Promise<AgentRunReport> => {
    const context = Context.current();
    const { attempt } = context.info;
    try {
      return { ...(await run(registry, input, options, mockPolicy)), attempt };
    } catch (error) {
      throw withAttempt(error, attempt, context.cancellationSignal.aborted);
    }
  };
