import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EngineActivities } from '../activities';
import {
  cancelExecutionUpdate,
  cancelStepUpdate,
  getEventsQuery,
  getExecutionQuery,
  idempotencySuppressedSignal,
  recordAgentResolutionUpdate,
  recordReviewerDecisionUpdate,
  resolveStepUpdate,
  type ExecutionWorkflowInput,
  type StepActionRequest,
} from '../src/contracts/execution-messages';
import type { NormalizedAgentResolution, RecordReviewerDecisionRequest, ResolveStepRequest } from '../src/core/requests/step-requests';
import { SA } from '../src/contracts/search-attributes';
import type { EngineError } from '../src/core/errors';
import {
  apply,
  buildPlan,
  checkAgentResolution,
  checkResolve,
  checkReviewerDecision,
  checkStepCancel,
  eventsPage,
  isTerminalExecution,
  resumeCommands,
  toExecutionView,
  type Command,
  type ExecutionState,
  type Happening,
  type ReplyOf,
  type RunAgent,
} from '../src/core/interpreter';
import { engineFailure } from './engine-failure';
import { whenAdmitted } from './execution/admitted-update';
import { agentFailure } from './execution/agent-outcome';
import { WebhookDeliveries, type DeliveriesSnapshot } from './execution/webhook-deliveries';

interface Carried {
  state: ExecutionState;
  deliveries: DeliveriesSnapshot | null;
}

export interface ExecutionOutcome {
  executionId: string;
  status: string;
}

const AGENT_RETRY = { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 5 } as const;
// Per-attempt bound: an agent attempt lost with its worker is retried seconds later, not at the
// ceiling. Agents heartbeat every second while they work (docs/behaviour.md, "Agents").
const AGENT_HEARTBEAT_TIMEOUT = '5 seconds';
const { deliverWebhook } = proxyActivities<EngineActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 1 },
});

const refuse = (problem: EngineError | null): void => {
  if (problem) throw engineFailure(problem.status, problem.message, problem.details);
};

/**
 * One execution = one workflow that drives the pure interpreter over the pinned definition.
 * Everything is a reaction to one happening at a time: an agent finished, a timer fired, or an
 * Update arrived (validated first, so refused requests never reach history).
 */
export async function executionWorkflow(input: ExecutionWorkflowInput): Promise<ExecutionOutcome> {
  const carried = input.carried as Carried | undefined;
  const plan = buildPlan(input.definition.content);
  const agents = new Map<string, CancellationScope>();
  const timers = new Map<string, CancellationScope>();
  let activeAgents = 0;
  const deliveries = input.webhook
    ? new WebhookDeliveries(
        input.webhook,
        { executionId: input.executionId, definitionId: input.definition.definitionId },
        deliverWebhook,
        carried?.deliveries ?? undefined,
      )
    : null;
  let state: ExecutionState | null = carried?.state ?? null;
  let publishedStatus = state?.status ?? 'running';

  const current = (): ExecutionState => {
    if (!state) throw new Error('execution state read before dispatch');
    return state;
  };

  const step = <H extends Happening>(happening: H): ReplyOf<H> => {
    const result = apply(plan, state, happening, { now: Date.now(), random: Math.random });
    state = result.state;
    if (state.status !== publishedStatus) {
      publishedStatus = state.status;
      if (input.indexed) upsertSearchAttributes([{ key: SA.status, value: state.status }]);
    }
    for (const event of result.events) deliveries?.enqueue(event);
    carryOut(result.commands);
    return result.reply;
  };

  const runAgent = (command: RunAgent): void => {
    const scope = new CancellationScope();
    agents.set(command.stepId, scope);
    activeAgents += 1;
    const { runAgent: run } = proxyActivities<EngineActivities>({
      // The runtime ceiling covers every retry: one durable, server-side deadline.
      scheduleToCloseTimeout: command.maxRuntimeMs,
      heartbeatTimeout: AGENT_HEARTBEAT_TIMEOUT,
      retry: AGENT_RETRY,
    });
    scope
      .run(() =>
        run({
          workspaceId: input.workspaceId,
          executionId: input.executionId,
          stepId: command.stepId,
          agentId: command.agentId,
          url: command.url,
          promptOverride: command.promptOverride,
          input: command.input,
          mock: command.mock,
        }),
      )
      .then(
        (result) => step({ kind: 'agentSucceeded', stepId: command.stepId, result }),
        (error: unknown) => {
          if (!isCancellation(error)) step({ kind: 'agentFailed', stepId: command.stepId, ...agentFailure(error) });
        },
      )
      .finally(() => {
        activeAgents -= 1;
        if (agents.get(command.stepId) === scope) agents.delete(command.stepId);
      });
  };

  const startSlaTimer = (stepId: string, ms: number): void => {
    const scope = new CancellationScope();
    timers.set(stepId, scope);
    scope
      .run(() => sleep(ms))
      .then(
        () => {
          timers.delete(stepId);
          step({ kind: 'slaExpired', stepId });
        },
        (error: unknown) => {
          if (timers.get(stepId) === scope) timers.delete(stepId);
          if (!isCancellation(error)) throw error;
        },
      );
  };

  const carryOut = (commands: Command[]): void => {
    for (const command of commands) {
      switch (command.kind) {
        case 'runAgent':
          runAgent(command);
          break;
        case 'cancelAgent':
          agents.get(command.stepId)?.cancel();
          break;
        case 'startSlaTimer':
          startSlaTimer(command.stepId, command.ms);
          break;
        case 'cancelSlaTimer':
          timers.get(command.stepId)?.cancel();
          break;
      }
    }
  };

  if (state) {
    carryOut(resumeCommands(plan, state, Date.now()));
  } else {
    step({
      kind: 'dispatched',
      executionId: input.executionId,
      definitionVersion: input.definition.version,
      triggerContext: input.triggerContext,
      correlationId: input.correlationId,
      idempotencyKey: input.idempotencyKey,
    });
  }

  setHandler(getExecutionQuery, () => ({ ...toExecutionView(current()), webhookDeadLetters: deliveries?.deadLetters ?? [] }));
  setHandler(getEventsQuery, (page) => eventsPage(current(), page));
  setHandler(idempotencySuppressedSignal, () => {
    step({ kind: 'idempotencySuppressed' });
  });
  setHandler(
    recordReviewerDecisionUpdate,
    (request) =>
      whenAdmitted(
        () => checkReviewerDecision(current(), request),
        () => step({ kind: 'reviewerDecisionRecorded', ...request }),
      ),
    {
      validator: (request: Omit<RecordReviewerDecisionRequest, 'executionId'>) => refuse(checkReviewerDecision(current(), request)),
    },
  );
  setHandler(
    recordAgentResolutionUpdate,
    (request) =>
      whenAdmitted(
        () => checkAgentResolution(current(), request),
        () => step({ kind: 'agentResolutionRecorded', ...request }),
      ),
    {
      validator: (request: Omit<NormalizedAgentResolution, 'executionId'>) => refuse(checkAgentResolution(current(), request)),
    },
  );
  setHandler(
    cancelStepUpdate,
    (request) =>
      whenAdmitted(
        () => checkStepCancel(current(), request),
        () => {
          step({ kind: 'stepCancelled', ...request });
        },
      ),
    { validator: (request: StepActionRequest) => refuse(checkStepCancel(current(), request)) },
  );
  setHandler(
    resolveStepUpdate,
    (request) =>
      whenAdmitted(
        () => checkResolve(current(), request),
        () => {
          step({ kind: 'stepResolved', ...request });
        },
      ),
    { validator: (request: Omit<ResolveStepRequest, 'executionId'>) => refuse(checkResolve(current(), request)) },
  );
  setHandler(cancelExecutionUpdate, ({ reason }) => {
    step({ kind: 'executionCancelled', reason });
  });

  const finished = (): boolean => isTerminalExecution(current().status);
  // History stays bounded: continue as new at a quiet moment (no agent run or delivery in flight).
  const quiet = (): boolean => activeAgents === 0 && (deliveries?.settled ?? true);
  await condition(() => (finished() && (deliveries?.settled ?? true)) || (workflowInfo().continueAsNewSuggested && quiet()));
  await condition(allHandlersFinished);
  if (!finished()) {
    const next: Carried = { state: current(), deliveries: deliveries?.snapshot() ?? null };
    await continueAsNew<typeof executionWorkflow>({ ...input, carried: next });
  }
  return { executionId: input.executionId, status: current().status };
}
