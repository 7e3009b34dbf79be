import { completedData, finishStep } from '../steps/finish';
import type { WebhookCallbackReceived, WebhookCallbackReply, WebhookCallFailed, WebhookCallSucceeded } from '../happenings';
import { planNode } from '../plan';
import type { StepState } from '../state';
import { webhookCallInFlight } from '../state';
import type { Tx } from '../transaction';
import { checkWebhookCallback } from '../validators';

/*
 * A webhook step's call answering, and an async step's callback (docs/inbound.md, "Webhook nodes").
 * Late answers (the step was called back, resolved, cancelled or breached first) change nothing.
 */

/** The step a call result is for, while its call is still awaited. */
const calling = (tx: Tx, stepId: string): StepState | null => {
  const step = tx.find(stepId);
  return tx.running && step && webhookCallInFlight(step) ? step : null;
};

/** Same rule as agents: the attempts a call used become `retryCount`, one internal `step.retried` per retry. */
const noteAttempts = (tx: Tx, step: StepState, attempts: number | undefined): void => {
  if (attempts === undefined) return;
  for (let retry = step.retryCount + 1; retry < attempts; retry += 1) {
    step.retryCount = retry;
    tx.emit('step.retried', step.stepId, { attempt: retry, message: null });
  }
};

export const onWebhookCallSucceeded = (tx: Tx, h: WebhookCallSucceeded): void => {
  const step = calling(tx, h.stepId);
  if (!step?.webhook) return;
  noteAttempts(tx, step, h.attempts);
  step.webhook.callInFlight = false;
  step.webhook.httpStatus = h.httpStatus;
  step.output = {
    httpStatus: h.httpStatus,
    responseHeaders: h.responseHeaders,
    ...(h.responseJson === undefined ? {} : { responseJson: h.responseJson }),
    responseText: h.responseText,
  };
  // An async step keeps waiting for its callback.
  if (step.webhook.mode === 'async') return;
  const spec = planNode(tx.plan, step.nodeId).webhook;
  if (spec?.ok === true && spec.spec.requireNonEmptyOutput && h.responseText.trim() === '') {
    const error = {
      code: 'webhook-node-empty-response',
      message: `webhook node ${step.nodeId}: the answer was empty (requireNonEmptyOutput)`,
    };
    finishStep(tx, step, {
      status: 'failed',
      error,
      data: { error, httpStatus: h.httpStatus, latencyMs: h.latencyMs, retryClass: 'terminal' },
    });
    return;
  }
  finishStep(tx, step, { status: 'completed', data: completedData(step, false) });
};

export const onWebhookCallFailed = (tx: Tx, h: WebhookCallFailed): void => {
  const step = calling(tx, h.stepId);
  if (!step?.webhook) return;
  noteAttempts(tx, step, h.attempts);
  step.webhook.callInFlight = false;
  step.webhook.httpStatus = h.httpStatus;
  step.output = { httpStatus: h.httpStatus };
  const error = { code: h.code, message: h.message };
  finishStep(tx, step, {
    status: 'failed',
    error,
    data: { error, httpStatus: h.httpStatus, latencyMs: h.latencyMs, retryClass: h.retryClass },
  });
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const messageOf = (error: Record<string, unknown> | undefined, nodeId: string): string =>
  typeof error?.message === 'string' && error.message !== '' ? error.message : `the receiver of webhook node ${nodeId} reported failure`;

/** The callback of a waiting async step (checked by `checkWebhookCallback` first): its output completes it, or it fails. */
export const onWebhookCallback = (tx: Tx, h: WebhookCallbackReceived): WebhookCallbackReply => {
  const problem = checkWebhookCallback(tx.state, h);
  if (problem) throw problem;
  const step = tx.step(h.stepId);
  const httpStatus = step.webhook?.httpStatus ?? null;
  if (h.status === 'completed') {
    step.output = { ...(isRecord(h.output) ? h.output : {}), httpStatus, callbackStatus: 'completed' };
    finishStep(tx, step, { status: 'completed', data: { ...completedData(step, false), source: 'callback' } });
  } else {
    const error = { code: 'webhook-callback-failed', message: messageOf(h.error, step.nodeId) };
    step.output = { ...(isRecord(h.output) ? h.output : {}), httpStatus, callbackStatus: 'failed', callbackError: h.error ?? null };
    finishStep(tx, step, {
      status: 'failed',
      error,
      data: { error, httpStatus, latencyMs: null, retryClass: 'terminal', source: 'callback' },
    });
  }
  return { ok: true, stepId: h.stepId, status: h.status };
};
