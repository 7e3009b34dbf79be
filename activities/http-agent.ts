import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import { MAX_JSON_DEPTH, pathPastDepth } from '../src/core/json-depth';
import type { RegisteredAgent } from '../src/infra/auth/workspace-registry';
import { SIGNATURE_HEADER, signBody } from '../src/infra/request-signing';
import { AGENT_FAILURE, type AgentRunResult, type RunAgentInput } from './agent-types';
import { heartbeatWhile } from './heartbeat';

const AgentResponseSchema = z.object({
  status: z.enum(['passed', 'failed']),
  summary: z.unknown().optional(),
  output: z.record(z.string(), z.unknown()).optional(),
  responseIds: z.array(z.string().min(1).max(200)).max(100).optional(),
});

const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Fields sent only when they have a value (docs/behaviour.md, "Agents"). */
const OPTIONAL_FIELDS = [
  'organizationId',
  'documentId',
  'agentExecutionId',
  'crossPageExecute',
  'maxUrlsToProcess',
  'pollIntervalMs',
  'userContext',
] as const satisfies ReadonlyArray<keyof RunAgentInput>;

/** The request body: the seed's fields, then each optional field that is set. */
export const agentRequestBody = (input: RunAgentInput): Record<string, unknown> => {
  const body: Record<string, unknown> = {
    executionId: input.executionId,
    stepId: input.stepId,
    agentId: input.agentId,
    url: input.url,
    promptOverride: input.promptOverride,
    input: input.input,
  };
  for (const field of OPTIONAL_FIELDS) {
    if (input[field] !== undefined) body[field] = input[field];
  }
  return body;
};

/**
 * POSTs `agentRequestBody(input)`, signed like our webhooks (`x-velt-signature: sha256=<hmac of
 * the raw body>`). 5xx and network errors are retried by the workflow's retry policy; a 4xx or a
 * malformed answer is final.
 */
export const runHttpAgent = async (agent: RegisteredAgent, input: RunAgentInput): Promise<AgentRunResult> => {
  const body = JSON.stringify(agentRequestBody(input));
  const signature = signBody(agent.secret, body);
  const signal = Context.current().cancellationSignal;
  // The agent may take minutes to answer: heartbeat all the while (see heartbeat.ts).
  const { response, text } = await heartbeatWhile(async () => {
    let answer: Response;
    try {
      answer = await fetch(agent.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'x-velt-step-id': input.stepId },
        body,
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      throw ApplicationFailure.retryable(`agent ${input.agentId} unreachable: ${(error as Error).message}`, AGENT_FAILURE.failed);
    }
    return { response: answer, text: await answer.text() };
  });
  if (response.status >= 500) {
    throw ApplicationFailure.retryable(`agent ${input.agentId} answered HTTP ${response.status}`, AGENT_FAILURE.failed);
  }
  if (response.status < 200 || response.status >= 300) {
    throw ApplicationFailure.nonRetryable(`agent ${input.agentId} answered HTTP ${response.status}`, AGENT_FAILURE.failed);
  }
  if (text.length > MAX_RESPONSE_BYTES) {
    throw ApplicationFailure.nonRetryable(`agent ${input.agentId} answered more than 1 MiB`, AGENT_FAILURE.failed);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw ApplicationFailure.nonRetryable(`agent ${input.agentId} answered with invalid JSON`, AGENT_FAILURE.failed);
  }
  if (pathPastDepth(json) !== null) {
    throw ApplicationFailure.nonRetryable(
      `agent ${input.agentId} answered JSON nested more than ${MAX_JSON_DEPTH} levels deep`,
      AGENT_FAILURE.failed,
    );
  }
  const parsed = AgentResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `agent ${input.agentId} answered an unexpected body: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      AGENT_FAILURE.failed,
    );
  }
  return {
    status: parsed.data.status,
    summary: parsed.data.summary ?? null,
    output: parsed.data.output ?? {},
    responseIds: parsed.data.responseIds ?? [],
  };
};
