import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Worker } from '@temporalio/worker';
import { AGENT_FAILURE, type AgentRunReport, type RunAgentInput } from '../../activities/agent-types';
import { NOTIFICATION_FAILURE, type NotificationReport, type SendNotificationInput } from '../../activities/notification-types';
import { WEBHOOK_NODE_FAILURE, type CallWebhookNodeInput, type WebhookCallReport } from '../../activities/webhook-node-types';
import { toEngineError } from '../../api/error-mapper';
import {
  recordAgentResolutionUpdate,
  recordReviewerDecisionUpdate,
  webhookCallbackUpdate,
  type ExecutionView,
} from '../contracts/execution-messages';
import { firstVersion, validateDefinition } from '../core/definition';
import type { ApprovalEventView } from '../core/interpreter';
import { createEngineWorker } from '../infra/worker/create-worker';
import { ExecutionClient } from '../infra/temporal/execution-client';
import { checkExpectations } from './expectations';
import {
  parseScenario,
  type Scenario,
  type ScenarioInput,
  type ScenarioStep,
  type ScriptedAgentOutcome,
  type ScriptedNotificationOutcome,
  type ScriptedWebhookOutcome,
} from './scenario';
import { startTimeSkippingServer, type TimeSkippingServer } from './time-skipping-server';
import { scriptedFailure } from './scripted-failures';
import { engineWorkflowBundle } from './workflow-bundle';

/** docs/simulate.md. */
export interface SimulatorOptions {
  /** The time-skipping test server binary; default `TEMPORAL_TEST_SERVER_PATH`, else the SDK's cached download. */
  testServerPath?: string | undefined;
  /** A pre-built bundle of the engine's workflows; default: `workflows/`, bundled once and cached in `.data/simulate/`. */
  workflowBundle?: { code: string } | undefined;
}

/** One event of the run, with its virtual time since dispatch and the node it concerns. */
export interface SimulatedEvent {
  atMs: number;
  seq: number;
  type: string;
  nodeId: string | null;
  stepId: string | null;
  data: Record<string, unknown> | null;
}

/** One scripted step and what the engine answered (a refusal is an answer, not an error). */
export interface SimulatedAction {
  atMs: number;
  description: string;
  outcome: { ok: true; reply: unknown } | { ok: false; status: string; message: string };
}

export interface SimulationResult {
  name: string | null;
  definitionId: string;
  executionId: string;
  /** The final view, as `executions/get` returns it. */
  view: ExecutionView;
  events: SimulatedEvent[];
  actions: SimulatedAction[];
  /** Virtual time from dispatch to the end of the scenario. */
  virtualMs: number;
  /** Whether the scenario had an `expect` to check. */
  checked: boolean;
  /** Unmet `expect` entries; empty when the scenario passed. */
  failures: string[];
  passed: boolean;
}

export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

const WORKSPACE = 'ws_simulation';
/** Wall time a scripted agent may take to report (it answers at once; this only bounds a stuck worker). */
const SETTLE_TIMEOUT_MS = 60_000;

/** Unwraps the REST body shape (`{ "data": { … } }`) so a file written for `definitions/create` works as is. */
const definitionBody = (definition: unknown): unknown => {
  if (definition && typeof definition === 'object' && !Array.isArray(definition)) {
    const keys = Object.keys(definition);
    if (keys.length === 1 && keys[0] === 'data') return (definition as { data: unknown }).data;
  }
  return definition;
};

/** What a scenario scripts for one kind of node, run by run (a node not listed gets `fallback`). */
class Script<T> {
  private readonly runs = new Map<string, number>();

  constructor(
    private readonly outcomes: Record<string, T[]> | undefined,
    private readonly fallback: T,
  ) {}

  next(nodeId: string): T {
    const list = this.outcomes?.[nodeId] ?? [];
    const run = this.runs.get(nodeId) ?? 0;
    this.runs.set(nodeId, run + 1);
    return list[Math.min(run, list.length - 1)] ?? this.fallback;
  }
}

/** The scripts of one simulated run. */
interface RunScripts {
  agents: Script<ScriptedAgentOutcome>;
  webhooks: Script<ScriptedWebhookOutcome>;
  notifications: Script<ScriptedNotificationOutcome>;
}

const runScripts = (scenario: Scenario): RunScripts => ({
  agents: new Script(scenario.agents, { outcome: 'success' }),
  webhooks: new Script(scenario.webhooks, { outcome: 'success' }),
  notifications: new Script(scenario.notifications, { outcome: 'success' }),
});

/**
 * Runs approval definitions against scripted scenarios on Temporal's time-skipping test server with
 * the engine's real workflows: days of SLAs pass in seconds. Start one per test file (or CLI run),
 * `run` as many scenarios as you like, then `close`. See docs/simulate.md.
 */
export class ApprovalSimulator {
  private readonly scripts = new Map<string, RunScripts>();
  private readonly executions: ExecutionClient;

  private constructor(
    private readonly server: TimeSkippingServer,
    private readonly worker: Worker,
    private readonly running: Promise<void>,
    taskQueue: string,
  ) {
    // The time-skipping server has no custom search attributes.
    this.executions = new ExecutionClient(server.client, taskQueue, { indexed: false });
  }

  static async start(options: SimulatorOptions = {}): Promise<ApprovalSimulator> {
    const serverPath = options.testServerPath ?? process.env.TEMPORAL_TEST_SERVER_PATH;
    const [server, workflowBundle] = await Promise.all([
      startTimeSkippingServer(serverPath),
      options.workflowBundle ?? engineWorkflowBundle(),
    ]);
    const taskQueue = `simulate-${randomUUID()}`;
    let simulator: ApprovalSimulator | undefined;
    try {
      const worker = await createEngineWorker({
        temporal: { address: server.address },
        connection: server.nativeConnection,
        namespace: 'default',
        taskQueue,
        workflowBundle,
        activities: {
          runAgent: (input: RunAgentInput) => simulator!.runAgent(input),
          callWebhookNode: (input: CallWebhookNodeInput) => simulator!.callWebhookNode(input),
          sendNotification: (input: SendNotificationInput) => simulator!.sendNotification(input),
        },
      });
      simulator = new ApprovalSimulator(server, worker, worker.run(), taskQueue);
      return simulator;
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  /** Validates the definition as `definitions/create` does, dispatches it, and plays the scenario. */
  async run(definitionInput: unknown, scenarioInput: ScenarioInput | Scenario): Promise<SimulationResult> {
    const scenario = parseScenario(scenarioInput);
    const validated = validateDefinition(definitionBody(definitionInput));
    if (!validated.ok) throw new SimulationError(`invalid definition: ${validated.error.message}`);
    const definition = validated.definition;

    const startMs = await this.now();
    const { executionId } = await this.executions.start({
      workspaceId: WORKSPACE,
      definition: firstVersion(definition, startMs),
      triggerContext: scenario.triggerContext ?? {},
      correlationId: scenario.correlationId,
      folderId: null,
      webhook: null,
    });
    this.scripts.set(executionId, runScripts(scenario));
    const dispatchedAt = (await this.view(executionId)).startedAt;

    const actions: SimulatedAction[] = [];
    const ordered = scenario.steps.map((step, index) => ({ step, index })).sort((a, b) => a.step.at - b.step.at || a.index - b.index);
    for (const { step } of ordered) {
      await this.advanceTo(executionId, dispatchedAt + step.at);
      actions.push({ atMs: step.at, description: describeStep(step), outcome: await this.perform(executionId, step) });
    }
    const lastAt = ordered.at(-1)?.step.at ?? 0;
    const endAt = Math.max(lastAt, scenario.runUntil ?? lastAt);
    await this.advanceTo(executionId, dispatchedAt + endAt);

    const view = await this.view(executionId);
    const events = await this.events(executionId, view, dispatchedAt);
    this.scripts.delete(executionId);
    const failures = checkExpectations(scenario.expect, view, events);
    return {
      name: scenario.name ?? null,
      definitionId: definition.definitionId,
      executionId,
      view,
      events,
      actions,
      virtualMs: endAt,
      checked: scenario.expect !== undefined,
      failures,
      passed: failures.length === 0,
    };
  }

  async close(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    await this.server.close();
  }

  private async now(): Promise<number> {
    return this.server.now();
  }

  /**
   * Scripted agents answer at once, but their activities still take a moment of wall time: time
   * only moves on once no step is `running`, so an agent's outcome lands before any later timer.
   */
  private async advanceTo(executionId: string, targetMs: number): Promise<void> {
    await this.settle(executionId);
    const now = await this.now();
    if (targetMs > now) await this.server.sleep(targetMs - now);
    await this.settle(executionId);
  }

  private async settle(executionId: string): Promise<void> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while ((await this.view(executionId)).steps.some((step) => step.status === 'running')) {
      if (Date.now() > deadline) throw new SimulationError(`agents of ${executionId} still running after ${SETTLE_TIMEOUT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private view(executionId: string): Promise<ExecutionView> {
    return this.executions.get(WORKSPACE, executionId);
  }

  private async events(executionId: string, view: ExecutionView, dispatchedAt: number): Promise<SimulatedEvent[]> {
    const nodeOf = new Map(view.steps.map((step) => [step.stepId, step.nodeId]));
    const events: ApprovalEventView[] = [];
    for (let sinceSeq = 0; ;) {
      const page = await this.executions.events(WORKSPACE, executionId, sinceSeq, 500);
      events.push(...page.events);
      if (!page.hasMore || page.events.length === 0) break;
      sinceSeq = page.events.at(-1)!.seq;
    }
    return events.map((event) => ({
      atMs: event.timestamp - dispatchedAt,
      seq: event.seq,
      type: event.type,
      nodeId: event.stepId === null ? null : (nodeOf.get(event.stepId) ?? null),
      stepId: event.stepId,
      data: (event.data as Record<string, unknown> | null | undefined) ?? null,
    }));
  }

  /** The step a scripted action targets: the node's waiting step, else its latest. */
  private async stepOf(executionId: string, nodeId: string): Promise<string | null> {
    const steps = (await this.view(executionId)).steps.filter((step) => step.nodeId === nodeId);
    return (steps.find((step) => step.status === 'waiting') ?? steps.at(-1))?.stepId ?? null;
  }

  private async perform(executionId: string, step: ScenarioStep): Promise<SimulatedAction['outcome']> {
    try {
      if ('cancel' in step) {
        return { ok: true, reply: await this.executions.cancel(WORKSPACE, executionId, step.cancel.reason) };
      }
      const node = 'decide' in step ? step.decide.node : 'callback' in step ? step.callback.node : step.resolveAgent.node;
      const stepId = await this.stepOf(executionId, node);
      if (stepId === null) return { ok: false, status: 'NOT_FOUND', message: `no step of node ${node} has started` };
      if ('decide' in step) {
        const { reviewer, decision, reason } = step.decide;
        const reply = await this.executions.stepUpdate(WORKSPACE, executionId, recordReviewerDecisionUpdate, {
          stepId,
          reviewerId: reviewer,
          decision,
          ...(reason === undefined ? {} : { reason }),
        });
        return { ok: true, reply };
      }
      if ('callback' in step) {
        const { status, output, error } = step.callback;
        return {
          ok: true,
          reply: await this.executions.stepUpdate(WORKSPACE, executionId, webhookCallbackUpdate, { stepId, status, output, error }),
        };
      }
      const { responseId, status, output, errorMessage, actorId } = step.resolveAgent;
      const reply = await this.executions.stepUpdate(WORKSPACE, executionId, recordAgentResolutionUpdate, {
        stepId,
        resolutionId: responseId,
        status,
        output: output ?? null,
        errorMessage: errorMessage ?? null,
        actorId: actorId ?? null,
      });
      return { ok: true, reply };
    } catch (error) {
      const refusal = toEngineError(error);
      return { ok: false, status: refusal.status, message: refusal.message };
    }
  }

  /** The `runAgent` activity of a simulation: answers from the scenario's `agents`, at once. */
  private async runAgent(input: RunAgentInput): Promise<AgentRunReport> {
    const { attempt } = Context.current().info;
    const view = await this.view(input.executionId);
    const nodeId = view.steps.find((step) => step.stepId === input.stepId)?.nodeId ?? input.agentId;
    const outcome = this.scripts.get(input.executionId)?.agents.next(nodeId) ?? { outcome: 'success' as const };
    if (outcome.outcome === 'failure') {
      throw scriptedFailure({
        message: outcome.message ?? `scripted failure of ${nodeId}`,
        type: AGENT_FAILURE.failed,
        details: [{ attempt }],
      });
    }
    return {
      status: 'passed',
      summary: { simulated: true },
      output: outcome.output ?? {},
      responseIds: outcome.responseIds ?? [],
      attempt,
    };
  }

  /** The `callWebhookNode` activity of a simulation: the scenario's response, at once; nothing is sent. */
  private callWebhookNode({ call }: CallWebhookNodeInput): WebhookCallReport {
    const { attempt } = Context.current().info;
    const outcome = this.scripts.get(call.payload.executionId)?.webhooks.next(call.nodeId) ?? { outcome: 'success' as const };
    if (outcome.outcome === 'failure') {
      const httpStatus = outcome.status ?? 500;
      throw scriptedFailure({
        message: outcome.message ?? `scripted failure of ${call.nodeId}: HTTP ${httpStatus}`,
        type: WEBHOOK_NODE_FAILURE.httpStatus,
        details: [{ attempt, httpStatus, latencyMs: 0 }],
      });
    }
    const body = outcome.body;
    return {
      httpStatus: outcome.status ?? 200,
      responseHeaders: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { responseJson: body }),
      responseText: body === undefined ? '' : JSON.stringify(body),
      latencyMs: 0,
      attempt,
    };
  }

  /** The `sendNotification` activity of a simulation: the scenario's outcome, at once; nothing is sent. */
  private sendNotification({ message }: SendNotificationInput): NotificationReport {
    const { attempt } = Context.current().info;
    const outcome = this.scripts.get(message.executionId)?.notifications.next(message.nodeId) ?? { outcome: 'success' as const };
    if (outcome.outcome === 'failure') {
      throw scriptedFailure({
        message: outcome.message ?? `scripted failure of ${message.nodeId}`,
        type: message.channel === 'email' ? NOTIFICATION_FAILURE.emailUndelivered : NOTIFICATION_FAILURE.slackRejected,
        details: [{ attempt }],
      });
    }
    return { output: { channel: message.channel, simulated: true }, attempt };
  }
}

const describeStep = (step: ScenarioStep): string => {
  if ('decide' in step) {
    const { node, reviewer, decision } = step.decide;
    return `${reviewer} ${decision === 'approve' ? 'approves' : 'rejects'} ${node}`;
  }
  if ('resolveAgent' in step)
    return `resolution ${step.resolveAgent.responseId} (${step.resolveAgent.status}) for ${step.resolveAgent.node}`;
  if ('callback' in step) return `callback (${step.callback.status}) for ${step.callback.node}`;
  return 'cancel the execution';
};

/** Starts a simulator, runs one scenario, and closes it. */
export const simulate = async (
  definition: unknown,
  scenario: ScenarioInput | Scenario,
  options: SimulatorOptions = {},
): Promise<SimulationResult> => {
  const simulator = await ApprovalSimulator.start(options);
  try {
    return await simulator.run(definition, scenario);
  } finally {
    await simulator.close();
  }
};
