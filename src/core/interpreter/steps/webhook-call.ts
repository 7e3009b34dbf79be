import type { CallWebhook } from '../commands';
import { webhookResumeKey } from '../ids';
import type { WebhookSpec } from '../plan';
import { materializeInput } from '../read/inputs';
import type { ExecutionState, StepState } from '../state';
import { findStep } from '../state';
import type { Tx } from '../transaction';
import { finishStep } from './finish';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `triggerContext.webhookAuth[<nodeId>]` when it is a string (authMode token; docs/inbound.md, "Webhook nodes"). */
const authTokenOf = (state: ExecutionState, nodeId: string): string | null => {
  const auth = state.triggerContext.webhookAuth;
  if (!isRecord(auth)) return null;
  const token = auth[nodeId];
  return typeof token === 'string' ? token : null;
};

/** What the step works on: its join/loop input, else its parent's output, else nothing (a root). */
const stepInputOf = (state: ExecutionState, step: StepState): Record<string, unknown> => {
  const materialized = materializeInput(state, step.input);
  if (materialized) return materialized;
  const parent = step.parentStepId === null ? undefined : findStep(state, step.parentStepId);
  return parent ? parent.output : {};
};

export const webhookCallCommand = (state: ExecutionState, step: StepState, spec: WebhookSpec): CallWebhook => ({
  kind: 'callWebhook',
  stepId: step.stepId,
  nodeId: step.nodeId,
  url: spec.url,
  mode: spec.mode,
  method: spec.method,
  authMode: spec.authMode,
  authTokenHeader: spec.authTokenHeader,
  authToken: spec.authMode === 'token' ? authTokenOf(state, step.nodeId) : null,
  timeoutMs: spec.timeoutMs,
  expectedStatusCodes: spec.expectedStatusCodes,
  bodyTemplate: spec.bodyTemplate,
  requestHeaders: spec.requestHeaders,
  payload: {
    executionId: state.executionId,
    definitionId: state.definitionId,
    stepId: step.stepId,
    nodeId: step.nodeId,
    correlationId: state.correlationId,
    triggerContext: state.triggerContext,
    input: stepInputOf(state, step),
  },
});

/**
 * Starts a webhook step: the call goes out as a command. A sync step runs until the call answers;
 * an async step waits from the start (its callback may come back before the call has answered).
 * A token-mode node whose token the dispatch did not supply fails at once, before any call.
 */
export const startWebhookStep = (tx: Tx, step: StepState, spec: WebhookSpec): void => {
  step.webhook = { mode: spec.mode, callInFlight: false, httpStatus: null };
  const command = webhookCallCommand(tx.state, step, spec);
  if (spec.authMode === 'token' && command.authToken === null) {
    step.slaDeadlineAt = null;
    const error = {
      code: 'webhook-node-token-missing',
      message: `webhook node ${step.nodeId} uses authMode "token" but the dispatch has no string at triggerContext.webhookAuth.${step.nodeId}`,
    };
    finishStep(tx, step, { status: 'failed', error, data: { error, httpStatus: null, latencyMs: null, retryClass: 'terminal' } });
    return;
  }
  step.webhook.callInFlight = true;
  tx.command(command);
  if (spec.mode === 'async') {
    step.status = 'waiting';
    tx.emit('step.awaiting-approval', step.stepId, { nodeType: 'webhook', mode: 'async', resumeKey: webhookResumeKey(step.stepId) });
  }
};
