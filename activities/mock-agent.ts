import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import { describeZodError } from '../src/core/zod-message';
import { AGENT_FAILURE, type AgentRunResult, type RunAgentInput } from './agent-types';
import { HEARTBEAT_EVERY_MS } from './heartbeat';

/** How the `__mock__` agent may be used on this deployment (docs/behaviour.md, "Workspace limits"). */
export interface MockAgentPolicy {
  /** Off: every `__mock__` run fails the step with a message saying the operator turned it off. */
  enabled: boolean;
  /** The largest `delayMs` accepted; a larger one fails the step naming the field and the cap. */
  maxDelayMs: number;
}

export const DEFAULT_MOCK_AGENT_POLICY: MockAgentPolicy = { enabled: true, maxDelayMs: 600_000 };

const mockControlsSchema = (maxDelayMs: number) =>
  z
    .strictObject({
      decision: z.enum(['approve', 'reject']).optional(),
      delayMs: z.number().int().min(0).max(maxDelayMs).optional(),
      fail: z.boolean().optional(),
      output: z.record(z.string(), z.unknown()).optional(),
      responseIds: z.array(z.string().min(1).max(200)).max(100).optional(),
    })
    .optional();

/** Waits like a working agent: heartbeating every second, so a lost attempt is retried within seconds. */
const delay = async (ms: number): Promise<void> => {
  const context = Context.current();
  for (let left = ms; left > 0; left -= HEARTBEAT_EVERY_MS) {
    context.heartbeat();
    await context.sleep(Math.min(left, HEARTBEAT_EVERY_MS));
  }
};

/** The reserved `__mock__` agent: passes by default; `inputMapping.mock` steers every path. */
export const runMockAgent = async (input: RunAgentInput, policy: MockAgentPolicy = DEFAULT_MOCK_AGENT_POLICY): Promise<AgentRunResult> => {
  if (!policy.enabled) {
    throw ApplicationFailure.nonRetryable(
      'the __mock__ agent is turned off on this deployment (APPROVAL_MOCK_AGENT=off)',
      AGENT_FAILURE.failed,
    );
  }
  const parsed = mockControlsSchema(policy.maxDelayMs).safeParse(input.mock);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid mock controls: ${describeZodError(parsed.error, 'config.inputMapping.mock').join('; ')}`,
      AGENT_FAILURE.failed,
    );
  }
  const controls = parsed.data ?? {};
  if (controls.delayMs) await delay(controls.delayMs);
  if (controls.fail) throw ApplicationFailure.retryable('mock agent failed (inputMapping.mock.fail)', AGENT_FAILURE.failed);
  const passed = controls.decision !== 'reject';
  return {
    status: passed ? 'passed' : 'failed',
    summary: { synthetic: true, summary: passed ? 'mock agent passed' : 'mock agent rejected' },
    output: { synthetic: true, ...(controls.output ?? {}) },
    responseIds: controls.responseIds ?? [],
  };
};
