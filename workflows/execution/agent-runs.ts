import { condition, getExternalWorkflowHandle, proxyActivities, setHandler, type ActivityOptions } from '@temporalio/workflow';
import type { EngineActivities } from '../../activities';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { agentSlotGrantedSignal, releaseAgentSlotSignal, requestAgentSlotSignal } from '../../src/contracts/workspace-limits';
import type { AgentFailed, AgentSucceeded, RunAgent } from '../../src/core/interpreter';
import { agentFailure } from './agent-failure';
import { agentRunSummary } from './activity-summaries';
import { StepScopes } from './step-scopes';

/**
 * The options of every agent run. The run's own ceiling (`agentMaxRuntimeMs`) is added per run as
 * the schedule-to-close timeout: one durable, server-side deadline over every retry.
 */
export const AGENT_ACTIVITY_OPTIONS = {
  // Per-attempt bound: an agent attempt lost with its worker is retried seconds later, not at the
  // ceiling (scheduleToClose, set per run). Agents heartbeat every second while they work
  // (docs/behaviour.md, "Agents").
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 5 },
} as const satisfies ActivityOptions;

export type AgentResult = AgentSucceeded | AgentFailed;

export interface AgentRunsOptions {
  /** The agents' own task queue (docs/behaviour.md, "Workspace limits"); absent: the run's queue. */
  taskQueue?: string | undefined;
  /** The workspace limiter that hands out agent slots; absent: agents start at once. */
  limiterWorkflowId?: string | undefined;
}

/**
 * Runs each agent as an activity in its own cancellation scope and reports how it ended
 * (`agentSucceeded`/`agentFailed`, with the attempts it took and its duration); a cancelled run
 * reports nothing (see StepScopes). Under workspace limits an agent first waits for a slot from
 * the workspace's limiter (queued, as the step view says).
 */
export class AgentRuns {
  private readonly scopes = new StepScopes();
  private readonly granted = new Set<string>();
  private readonly queued = new Set<string>();

  constructor(
    private readonly execution: {
      workspaceId: string;
      executionId: string;
      organizationId?: string | undefined;
      documentId?: string | undefined;
    },
    private readonly report: (result: AgentResult) => void,
    private readonly options: AgentRunsOptions = {},
  ) {
    if (options.limiterWorkflowId) {
      setHandler(agentSlotGrantedSignal, ({ stepId }) => {
        this.granted.add(stepId);
      });
    }
  }

  /** No agent run is in flight (the run may continue as new). */
  get settled(): boolean {
    return this.scopes.settled;
  }

  /** Agent steps waiting for a slot of the workspace's running-agent limit. */
  isQueued(stepId: string): boolean {
    return this.queued.has(stepId);
  }

  start(command: RunAgent): void {
    let startedAt = Date.now();
    const { runAgent } = proxyActivities<EngineActivities>({
      ...AGENT_ACTIVITY_OPTIONS,
      scheduleToCloseTimeout: command.maxRuntimeMs,
      summary: agentRunSummary(command),
      ...(this.options.taskQueue ? { taskQueue: this.options.taskQueue } : {}),
    });
    const { stepId } = command;
    const { limiterWorkflowId } = this.options;
    const slot = { workflowId: executionWorkflowId(this.execution.workspaceId, this.execution.executionId), stepId };
    this.scopes.run(
      stepId,
      async () => {
        if (limiterWorkflowId) {
          this.granted.delete(stepId);
          this.queued.add(stepId);
          // A limiter an operator removed cannot hand out slots: the agent then runs unqueued.
          await getExternalWorkflowHandle(limiterWorkflowId)
            .signal(requestAgentSlotSignal, slot)
            .catch(() => this.granted.add(stepId));
          await condition(() => this.granted.has(stepId));
          this.queued.delete(stepId);
          // The agent's ceiling and duration count from when it may run, not from when it queued.
          startedAt = Date.now();
        }
        return runAgent({
          workspaceId: this.execution.workspaceId,
          executionId: this.execution.executionId,
          stepId,
          agentId: command.agentId,
          url: command.url,
          promptOverride: command.promptOverride,
          input: command.input,
          mock: command.mock,
          // Each of these is absent unless set, so a seed-era (g2) call carries exactly the fields it always did.
          organizationId: this.execution.organizationId,
          documentId: this.execution.documentId,
          agentExecutionId: command.agentExecutionId,
          crossPageExecute: command.crossPageExecute,
          maxUrlsToProcess: command.maxUrlsToProcess,
          pollIntervalMs: command.pollIntervalMs,
          userContext: command.userContext,
        });
      },
      {
        succeeded: ({ attempt, ...result }) =>
          this.report({ kind: 'agentSucceeded', stepId, result, attempts: attempt, durationMs: Date.now() - startedAt }),
        failed: (error) => this.report({ kind: 'agentFailed', stepId, ...agentFailure(error), durationMs: Date.now() - startedAt }),
        afterReport: async () => {
          this.queued.delete(stepId);
          this.granted.delete(stepId);
          if (limiterWorkflowId) {
            // A limiter that is gone holds nothing for us; a failed release must not fail the run.
            await getExternalWorkflowHandle(limiterWorkflowId)
              .signal(releaseAgentSlotSignal, slot)
              .catch(() => undefined);
          }
        },
      },
    );
  }

  cancel(stepId: string): void {
    this.scopes.cancel(stepId);
  }
}
