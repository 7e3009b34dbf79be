import { z } from 'zod';
import type { MockAgentPolicy } from '../../activities/mock-agent';
import type { WorkspaceLimits } from '../contracts/workspace-limits';

const count = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/**
 * The per-workspace work limits and the worker's slot pools, with their defaults (the table in
 * docs/operations.md, "Workspace limits and worker slots").
 */
export const workspaceLimitFields = {
  // The limiter carries one entry (about 100 bytes) per running run through continue-as-new: 15,000 stay well under 2 MiB.
  APPROVAL_MAX_RUNNING_EXECUTIONS: count(1000, 15_000),
  APPROVAL_MAX_RUNNING_AGENTS: count(20, 10_000),
  APPROVAL_AGENT_SLOTS: count(100, 10_000),
  APPROVAL_WEBHOOK_SLOTS: count(100, 10_000),
  APPROVAL_MOCK_AGENT: z.enum(['on', 'off']).default('on'),
  APPROVAL_MOCK_MAX_DELAY_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
};

type LimitFields = { [K in keyof typeof workspaceLimitFields]: z.infer<(typeof workspaceLimitFields)[K]> };

export const workspaceLimits = (config: LimitFields): WorkspaceLimits => ({
  maxRunningExecutions: config.APPROVAL_MAX_RUNNING_EXECUTIONS,
  maxRunningAgents: config.APPROVAL_MAX_RUNNING_AGENTS,
});

export const mockAgentPolicy = (config: LimitFields): MockAgentPolicy => ({
  enabled: config.APPROVAL_MOCK_AGENT === 'on',
  maxDelayMs: config.APPROVAL_MOCK_MAX_DELAY_MS,
});

export interface ActivityTaskQueues {
  agents: string;
  webhooks: string;
}

/** Agents and webhook deliveries each have a task queue beside the engine's own. */
export const activityTaskQueues = (taskQueue: string): ActivityTaskQueues => ({
  agents: `${taskQueue}-agents`,
  webhooks: `${taskQueue}-webhooks`,
});

export interface WorkerSlots {
  agents: number;
  webhooks: number;
}

export const workerSlots = (config: LimitFields): WorkerSlots => ({
  agents: config.APPROVAL_AGENT_SLOTS,
  webhooks: config.APPROVAL_WEBHOOK_SLOTS,
});
