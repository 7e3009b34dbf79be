import { patched, proxyActivities, setCurrentDetails, upsertSearchAttributes, type ActivityOptions } from '@temporalio/workflow';
import type { EngineActivities } from '../../activities';
import type { CarriedExecution, ExecutionView, ExecutionWorkflowInput, WorkItemView } from '../../src/contracts/execution-messages';
import { SA } from '../../src/contracts/search-attributes';
import type { EngineError } from '../../src/core/errors';
import {
  apply,
  buildPlan,
  currentDetails,
  eventsPage,
  findStep,
  isTerminalExecution,
  isTerminalStep,
  resumeCommands,
  toExecutionView,
  toWorkItemResponses,
  type Command,
  type EventsPage,
  type ExecutionState,
  type Generation,
  type Happening,
  type Plan,
  type ReplyOf,
  type StepView,
} from '../../src/core/interpreter';
import { QUEUED_BEHIND_AGENT_LIMIT } from '../../src/contracts/workspace-limits';
import { AgentRuns } from './agent-runs';
import { SlaTimers } from './sla-timers';
import { WebhookDeliveries, type DeliverAttempt } from '../../src/webhooks/deliveries';
import { webhookDeliverySummary } from './activity-summaries';
import { NotificationSends } from './notification-sends';
import { WebhookCalls } from './webhook-calls';

/** One delivery attempt per activity run: the retry schedule is the workflow's (src/webhooks/deliveries.ts). */
export const WEBHOOK_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 1 },
} as const satisfies ActivityOptions;

const { deliverWebhook } = proxyActivities<EngineActivities>(WEBHOOK_ACTIVITY_OPTIONS);

/** Each attempt names its event in the Web UI: `webhook delivery step.completed #7` (docs/operations.md). */
const deliverWithSummary: DeliverAttempt = (input) =>
  deliverWebhook.executeWithOptions({ ...WEBHOOK_ACTIVITY_OPTIONS, summary: webhookDeliverySummary(input) }, [input]);

/** The same attempt on the webhooks' own task queue (docs/behaviour.md, "Workspace limits"). */
const deliverOn =
  (taskQueue: string): DeliverAttempt =>
  (input) =>
    deliverWebhook.executeWithOptions({ ...WEBHOOK_ACTIVITY_OPTIONS, taskQueue, summary: webhookDeliverySummary(input) }, [input]);

/** Runs recorded before webhook nodes called their URL failed every webhook step at once (docs/inbound.md, "Webhook nodes"). */
export const LIVE_WEBHOOK_NODES_PATCH = 'live-webhook-nodes';

/**
 * Runs dispatched with workspace limits (docs/behaviour.md, "Workspace limits"): agents and webhook
 * deliveries on their own task queues, agents waiting for the limiter's slots. Runs recorded before
 * it keep the commands they were recorded with.
 */
export const WORKSPACE_LIMITS_PATCH = 'workspace-limits-and-activity-queues';

/**
 * A run's first workflow task records a command (this patch's marker, unless the limits' marker is
 * already there). When the worker no longer caches a run whose first task recorded none, the SDK's
 * core replays that task together with the Update task that follows it, at the Update's time: the
 * root step ids and timestamps the run gave out came back different and the Update was refused
 * NOT_FOUND for its own step (docs/behaviour.md, "Replays and evicted runs").
 */
export const FIRST_TASK_MARKER_PATCH = 'first-task-records-a-command';

/**
 * The logic behind one execution workflow: it owns the interpreter state and feeds every
 * happening through `apply`, then carries out what came back (search attributes, webhook
 * deliveries, agent runs, SLA timers, in that order).
 */
export class Execution {
  private readonly plan: Plan;
  private readonly agents: AgentRuns;
  private readonly webhookCalls: WebhookCalls;
  private readonly notifications: NotificationSends;
  private readonly timers: SlaTimers;
  private readonly deliveries: WebhookDeliveries | null;
  /** Whether this run follows the workspace limits (see WORKSPACE_LIMITS_PATCH). */
  readonly limited: boolean;
  private state: ExecutionState | null;
  private publishedStatus: string;

  constructor(private readonly input: ExecutionWorkflowInput) {
    const { carried } = input;
    // Only a definition with webhook nodes asks, so every other run keeps the history it always had.
    const hasWebhookNodes = input.definition.content.nodes.some((node) => node.type === 'webhook');
    this.plan = buildPlan(input.definition.content, { liveWebhookNodes: hasWebhookNodes && patched(LIVE_WEBHOOK_NODES_PATCH) });
    this.limited = (input.activityQueues !== undefined || input.limiterWorkflowId !== undefined) && patched(WORKSPACE_LIMITS_PATCH);
    const queues = this.limited ? input.activityQueues : undefined;
    this.agents = new AgentRuns(input, (result) => this.applyHappening(result), {
      taskQueue: queues?.agents,
      limiterWorkflowId: this.limited ? input.limiterWorkflowId : undefined,
    });
    // Webhook-node calls are outbound webhooks: with the limits, on the webhooks' queue, never behind slow agents.
    this.webhookCalls = new WebhookCalls(
      { workspaceId: input.workspaceId, sealedSecret: input.webhook?.sealedSecret ?? null },
      (result) => this.applyHappening(result),
      queues?.webhooks,
    );
    this.notifications = new NotificationSends(input.workspaceId, (result) => this.applyHappening(result));
    this.timers = new SlaTimers((expired) => this.applyHappening(expired));
    this.deliveries = input.webhook
      ? new WebhookDeliveries(
          input.webhook,
          { executionId: input.executionId, definitionId: input.definition.definitionId },
          queues ? deliverOn(queues.webhooks) : deliverWithSummary,
          carried?.deliveries ?? undefined,
        )
      : null;
    this.state = carried?.state ?? null;
    this.publishedStatus = this.state?.status ?? 'running';
  }

  /** A fresh run is dispatched; a run that continued as new re-arms its timers and agent runs. */
  start(): void {
    if (!this.limited) patched(FIRST_TASK_MARKER_PATCH);
    if (this.state) {
      this.carryOut(resumeCommands(this.plan, this.state, Date.now()));
      setCurrentDetails(currentDetails(this.state));
      return;
    }
    const { input } = this;
    this.applyHappening({
      kind: 'dispatched',
      executionId: input.executionId,
      definitionVersion: input.definition.version,
      triggerContext: input.triggerContext,
      correlationId: input.correlationId,
      idempotencyKey: input.idempotencyKey,
    });
  }

  /** One happening through the interpreter; returns the interpreter's reply (what an Update answers). */
  applyHappening<H extends Happening>(happening: H): ReplyOf<H> {
    const result = apply(this.plan, this.state, happening, { now: Date.now(), random: Math.random });
    this.state = result.state;
    if (this.state.status !== this.publishedStatus) {
      this.publishedStatus = this.state.status;
      if (this.input.indexed) upsertSearchAttributes([{ key: SA.status, value: this.state.status }]);
    }
    for (const event of result.events) this.deliveries?.enqueue(event);
    this.carryOut(result.commands);
    // Only read by the Web UI (the metadata query); it issues no command, so replay is unaffected.
    setCurrentDetails(currentDetails(this.state));
    return result.reply;
  }

  /** Runs one of the interpreter's request checks on the current state (and the run's generation). */
  problem<R>(validate: (state: ExecutionState, request: R, generation: Generation) => EngineError | null, request: R): EngineError | null {
    return validate(this.current(), request, this.plan.generation);
  }

  /**
   * A refusal a later event of the same activation may still clear: the step does not exist yet, or
   * exists but has not started waiting (see admitted-update.ts).
   */
  mayClearLater(problem: EngineError, request: { stepId?: string }): boolean {
    if (problem.status === 'NOT_FOUND') return true;
    const step = request.stepId === undefined ? undefined : findStep(this.current(), request.stepId);
    return problem.status === 'FAILED_PRECONDITION' && step !== undefined && !isTerminalStep(step.status) && step.status !== 'waiting';
  }

  /** Runs one of the interpreter's request checks; throws what it finds. */
  check<R>(validate: (state: ExecutionState, request: R, generation: Generation) => EngineError | null, request: R): void {
    const problem = this.problem(validate, request);
    if (problem) throw problem;
  }

  view(): ExecutionView {
    const view = toExecutionView(this.current());
    return { ...view, steps: view.steps.map((step) => this.withQueue(step)), webhookDeadLetters: this.deliveries?.deadLetters ?? [] };
  }

  /** An agent step waiting for a slot says so (an extension field, present only while it waits). */
  private withQueue(step: StepView): StepView {
    return this.agents.isQueued(step.stepId) ? { ...step, queuedBehindLimit: QUEUED_BEHIND_AGENT_LIMIT } : step;
  }

  workItem(): WorkItemView {
    return {
      ...toWorkItemResponses(this.current()),
      definition: this.input.definition,
      organizationId: this.input.organizationId ?? null,
      documentId: this.input.documentId ?? null,
    };
  }

  eventsPage(page: { sinceSeq: number; pageSize: number }): EventsPage {
    return eventsPage(this.current(), page);
  }

  get finished(): boolean {
    return isTerminalExecution(this.current().status);
  }

  /** Finished, and every webhook delivery settled (the final `execution.*` event included). */
  get done(): boolean {
    return this.finished && (this.deliveries?.settled ?? true);
  }

  /** Nothing in flight (no agent run, webhook call, notification or delivery): a moment to continue as new. */
  get quiet(): boolean {
    return this.agents.settled && this.webhookCalls.settled && this.notifications.settled && (this.deliveries?.settled ?? true);
  }

  /** What the callback route verifies a token with: the run's sealed webhook secret, or null (the engine key then). */
  callbackKey(): { sealedSecret: string | null } {
    return { sealedSecret: this.input.webhook?.sealedSecret ?? null };
  }

  /** The `idempotency.suppressed` events the run holds. */
  get recordedRepeats(): number {
    return this.current().events.reduce((count, event) => count + (event.type === 'idempotency.suppressed' ? 1 : 0), 0);
  }

  get status(): string {
    return this.current().status;
  }

  carried(): CarriedExecution {
    return { state: this.current(), deliveries: this.deliveries?.snapshot() ?? null };
  }

  private current(): ExecutionState {
    if (!this.state) throw new Error('execution state read before dispatch');
    return this.state;
  }

  private carryOut(commands: Command[]): void {
    for (const command of commands) {
      switch (command.kind) {
        case 'runAgent':
          this.agents.start(command);
          break;
        case 'cancelAgent':
          this.agents.cancel(command.stepId);
          break;
        case 'startSlaTimer':
          this.timers.start(command.stepId, command.ms);
          break;
        case 'cancelSlaTimer':
          this.timers.cancel(command.stepId);
          break;
        case 'callWebhook':
          this.webhookCalls.start(command);
          break;
        case 'cancelWebhook':
          this.webhookCalls.cancel(command.stepId);
          break;
        case 'sendNotification':
          this.notifications.start(command);
          break;
        case 'cancelNotification':
          this.notifications.cancel(command.stepId);
          break;
      }
    }
  }
}
