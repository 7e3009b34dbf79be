import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { EngineActivities } from '../../activities';
import type { WebhookCallFailureDetails } from '../../activities/webhook-node-types';
import type { CallWebhook, WebhookCallFailed, WebhookCallSucceeded } from '../../src/core/interpreter';
import { outboundFailure } from './outbound-failure';
import { StepScopes } from './step-scopes';

/**
 * Webhook-node calls have their own bounded options (docs/inbound.md, "Webhook nodes"): at most
 * five attempts, 1 s, 2 s, 4 s, 8 s apart; each attempt heartbeats while it waits for its answer
 * and is bounded by the node's `timeoutMs` plus a margin (set per call).
 */
export const WEBHOOK_NODE_ACTIVITY_OPTIONS = {
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
} as const satisfies ActivityOptions;

/** Resolving the host and reading the answer may take a little longer than the node's own timeout. */
const ATTEMPT_MARGIN_MS = 10_000;

export type WebhookCallResult = WebhookCallSucceeded | WebhookCallFailed;

/** What the activity's final failure means for the step: its code, and whether retrying could have helped. */
export const webhookCallFailure = (stepId: string, error: unknown): WebhookCallFailed => {
  const { details, own: _own, ...failure } = outboundFailure<WebhookCallFailureDetails>(error, 'webhook-node', 'webhook call');
  return {
    kind: 'webhookCallFailed',
    stepId,
    httpStatus: details.httpStatus ?? null,
    latencyMs: details.latencyMs ?? null,
    attempts: details.attempt,
    ...failure,
  };
};

/**
 * Runs each webhook node's call as an activity in its own cancellation scope and reports how it
 * ended; a cancelled call (its step ended first) reports nothing (see StepScopes).
 */
export class WebhookCalls {
  private readonly scopes = new StepScopes();

  constructor(
    private readonly run: { workspaceId: string; sealedSecret: string | null },
    private readonly report: (result: WebhookCallResult) => void,
    /** The task queue of the calls; default: the workflow's own. */
    private readonly taskQueue?: string | undefined,
  ) {}

  get settled(): boolean {
    return this.scopes.settled;
  }

  start(command: CallWebhook): void {
    const { kind: _kind, ...call } = command;
    const { stepId } = command;
    const { callWebhookNode } = proxyActivities<EngineActivities>({
      ...WEBHOOK_NODE_ACTIVITY_OPTIONS,
      startToCloseTimeout: command.timeoutMs + ATTEMPT_MARGIN_MS,
      ...(this.taskQueue ? { taskQueue: this.taskQueue } : {}),
    });
    this.scopes.run(stepId, () => callWebhookNode({ workspaceId: this.run.workspaceId, call, sealedSecret: this.run.sealedSecret }), {
      succeeded: ({ attempt, ...answer }) => this.report({ kind: 'webhookCallSucceeded', stepId, ...answer, attempts: attempt }),
      failed: (error) => this.report(webhookCallFailure(stepId, error)),
    });
  }

  cancel(stepId: string): void {
    this.scopes.cancel(stepId);
  }
}
