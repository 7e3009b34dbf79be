import { completedData, finishStep } from '../steps/finish';
import type { NotificationFailed, NotificationSent } from '../happenings';
import type { StepState } from '../state';
import { notificationInFlight } from '../state';
import type { Tx } from '../transaction';

/*
 * A notification step's send reporting (docs/notifications.md). A late report (the step was
 * cancelled or breached first) changes nothing.
 */

const sending = (tx: Tx, stepId: string): StepState | null => {
  const step = tx.find(stepId);
  return tx.running && step && notificationInFlight(step) ? step : null;
};

/** Same rule as agents and webhook calls: the attempts used become `retryCount`, one internal `step.retried` per retry. */
const noteAttempts = (tx: Tx, step: StepState, attempts: number | undefined): void => {
  if (attempts === undefined) return;
  for (let retry = step.retryCount + 1; retry < attempts; retry += 1) {
    step.retryCount = retry;
    tx.emit('step.retried', step.stepId, { attempt: retry, message: null });
  }
};

export const onNotificationSent = (tx: Tx, h: NotificationSent): void => {
  const step = sending(tx, h.stepId);
  if (!step?.notification) return;
  noteAttempts(tx, step, h.attempts);
  step.notification.sendInFlight = false;
  step.output = { ...h.output, channel: step.notification.channel };
  finishStep(tx, step, { status: 'completed', data: completedData(step, false) });
};

export const onNotificationFailed = (tx: Tx, h: NotificationFailed): void => {
  const step = sending(tx, h.stepId);
  if (!step?.notification) return;
  noteAttempts(tx, step, h.attempts);
  step.notification.sendInFlight = false;
  const { channel } = step.notification;
  step.output = { channel };
  const error = { code: h.code, message: h.message };
  finishStep(tx, step, {
    status: 'failed',
    error,
    data: { error, channel, retryClass: h.retryClass, ...(h.reason === undefined ? {} : { reason: h.reason }) },
  });
};
