import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import { MAX_JSON_DEPTH, pathPastDepth } from '../src/core/json-depth';
import type { RegisteredAgent } from '../src/infra/auth/workspace-registry';
import { postToCheckedUrl } from '../src/infra/outbound/checked-url-post';
import { SIGNATURE_HEADER, signBody, standardWebhookHeaders } from '../src/infra/request-signing';
import { AGENT_FAILURE, type AgentRunResult, type RunAgentInput } from './agent-types';
import { heartbeatWhile } from './heartbeat';

const AgentResponseSchema = z.object({
  status: z.enum(['passed', 'failed']),
  summary: z.unknown().optional(),
  output: z.record(z.string(), z.unknown()).optional(),
  responseIds: z.array(z.string().min(1).max(200)).max(100).optional(),
});

/** Counted in bytes as the answer streams in; reading stops at the first byte over. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface HttpAgentOptions {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: development only; lifts the outbound rules for every agent. */
  allowPrivateTargets: boolean;
}

/** Stable across an agent run's retries, like a webhook's event id. */
const messageId = (input: RunAgentInput): string => `agent_${input.executionId}_${input.stepId}`;

/** What went wrong, for the worker's log; the step only says the agent could not be reached. */
const logDetail = (input: RunAgentInput, detail: string): void => {
  Context.current().log.warn('HTTP agent call failed', { agentId: input.agentId, stepId: input.stepId, detail });
};

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
 * the raw body>` and the Standard Webhooks headers), to the agent's URL under the webhooks'
 * outbound rules unless the operator marked it internal. 5xx and network errors are retried by the
 * workflow's retry policy; a 4xx, a refused URL or a malformed answer is final.
 */
export const runHttpAgent = async (agent: RegisteredAgent, input: RunAgentInput, options: HttpAgentOptions): Promise<AgentRunResult> => {
  const body = JSON.stringify(agentRequestBody(input));
  const signature = signBody(agent.secret, body);
  // The agent may take minutes to answer: heartbeat all the while (see heartbeat.ts).
  const outcome = await heartbeatWhile(() =>
    postToCheckedUrl(agent.url, {
      allowPrivate: options.allowPrivateTargets || agent.internal === true,
      subject: `agent ${input.agentId} url`,
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signature,
        'x-velt-step-id': input.stepId,
        ...standardWebhookHeaders([agent.secret], messageId(input), Math.floor(Date.now() / 1000), body),
      },
      body: Buffer.from(body, 'utf8'),
      maxResponseBytes: MAX_RESPONSE_BYTES,
      signal: Context.current().cancellationSignal,
    }),
  );
  const unreachable = `agent ${input.agentId} could not be reached or did not answer`;
  if (outcome.kind === 'refused') {
    if (outcome.detail !== undefined) logDetail(input, outcome.detail);
    if (outcome.reason === 'dns-failed') throw ApplicationFailure.retryable(outcome.message, AGENT_FAILURE.failed);
    throw ApplicationFailure.nonRetryable(
      `${outcome.message} (an operator can mark the agent "internal" in APPROVAL_WORKSPACES_FILE)`,
      AGENT_FAILURE.failed,
    );
  }
  if (outcome.kind === 'unanswered') {
    logDetail(input, `${outcome.cause}: ${outcome.detail}`);
    throw ApplicationFailure.retryable(unreachable, AGENT_FAILURE.failed);
  }
  const { status } = outcome;
  if (status >= 500) {
    throw ApplicationFailure.retryable(`agent ${input.agentId} answered HTTP ${status}`, AGENT_FAILURE.failed);
  }
  if (status < 200 || status >= 300) {
    throw ApplicationFailure.nonRetryable(`agent ${input.agentId} answered HTTP ${status}`, AGENT_FAILURE.failed);
  }
  if (outcome.end === 'over-limit') {
    throw ApplicationFailure.nonRetryable(`agent ${input.agentId} answered more than 1 MiB`, AGENT_FAILURE.failed);
  }
  if (outcome.end === 'broken') {
    logDetail(input, `the answer (HTTP ${status}) broke off after ${outcome.body.length} bytes`);
    throw ApplicationFailure.retryable(unreachable, AGENT_FAILURE.failed);
  }
  const text = outcome.body.toString('utf8');
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
