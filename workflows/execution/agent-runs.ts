import { CancellationScope, isCancellation, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { EngineActivities } from '../../activities';
import type { AgentFailed, AgentSucceeded, RunAgent } from '../../src/core/interpreter';
import { agentFailure } from './agent-failure';
import { agentRunSummary } from './activity-summaries';

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

/**
 * Runs each agent as an activity in its own cancellation scope and reports how it ended
 * (`agentSucceeded`/`agentFailed`, with the attempts it took and its duration); a cancelled run
 * reports nothing. Same shape as the webhook deliveries and the SLA timers.
 */
export class AgentRuns {
  private readonly scopes = new Map<string, CancellationScope>();
  private inFlight = 0;

  constructor(
    private readonly execution: {
      workspaceId: string;
      executionId: string;
      organizationId?: string | undefined;
      documentId?: string | undefined;
    },
    private readonly report: (result: AgentResult) => void,
  ) {}

  /** No agent run is in flight (the run may continue as new). */
  get settled(): boolean {
    return this.inFlight === 0;
  }

  start(command: RunAgent): void {
    const scope = new CancellationScope();
    this.scopes.set(command.stepId, scope);
    this.inFlight += 1;
    const startedAt = Date.now();
    const { runAgent } = proxyActivities<EngineActivities>({
      ...AGENT_ACTIVITY_OPTIONS,
      scheduleToCloseTimeout: command.maxRuntimeMs,
      summary: agentRunSummary(command),
    });
    const { stepId } = command;
    scope
      .run(() =>
        runAgent({
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
        }),
      )
      .then(
        ({ attempt, ...result }) =>
          this.report({ kind: 'agentSucceeded', stepId, result, attempts: attempt, durationMs: Date.now() - startedAt }),
        (error: unknown) => {
          if (!isCancellation(error))
            this.report({ kind: 'agentFailed', stepId, ...agentFailure(error), durationMs: Date.now() - startedAt });
        },
      )
      .finally(() => {
        this.inFlight -= 1;
        if (this.scopes.get(stepId) === scope) this.scopes.delete(stepId);
      });
  }

  cancel(stepId: string): void {
    this.scopes.get(stepId)?.cancel();
  }
}
