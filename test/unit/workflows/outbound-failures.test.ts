import { describe, expect, it } from 'vitest';
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { notificationFailure } from '../../../workflows/execution/notification-sends';
import { webhookCallFailure } from '../../../workflows/execution/webhook-calls';

/** The activity's final failure as the workflow sees it: an ActivityFailure around its cause. */
const activityFailure = (cause: Error): ActivityFailure =>
  new ActivityFailure('activity failed', 'sendNotification', '1', 'MAXIMUM_ATTEMPTS_REACHED', undefined, cause);

const own = (type: string, nonRetryable: boolean, details: Record<string, unknown>) =>
  ApplicationFailure.create({ message: `${type} happened`, type, nonRetryable, details: [details] });

/** Keys in order, so a report stays byte-identical (it is stored in the run's state and events). */
const exactly = (value: unknown): string => JSON.stringify(value);

describe('notificationFailure', () => {
  it('keeps the activity own code, its terminal or retryable class, the reason and the attempts', () => {
    const failure = notificationFailure('s1', activityFailure(own('notification-slack-rejected', true, { attempt: 1, reason: 'r' })));
    expect(exactly(failure)).toBe(
      exactly({
        kind: 'notificationFailed',
        stepId: 's1',
        attempts: 1,
        code: 'notification-slack-rejected',
        message: 'notification-slack-rejected happened',
        retryClass: 'terminal',
        reason: 'r',
      }),
    );
  });

  it('reads every attempt timing out as unreachable, with the last attempt its cause carries', () => {
    const timeout = new TimeoutFailure('timed out', undefined, 'HEARTBEAT');
    Object.assign(timeout, { cause: own('notification-smtp-down', false, { attempt: 5 }) });
    expect(exactly(notificationFailure('s1', activityFailure(timeout)))).toBe(
      exactly({
        kind: 'notificationFailed',
        stepId: 's1',
        attempts: 5,
        code: 'notification-unreachable',
        message: 'every attempt of the notification timed out or was lost',
        retryClass: 'retryable',
      }),
    );
  });

  it('reads any other error as a retryable notification-failed with its message (no reason)', () => {
    expect(exactly(notificationFailure('s1', activityFailure(own('something-else', true, { attempt: 2, reason: 'r' }))))).toBe(
      exactly({
        kind: 'notificationFailed',
        stepId: 's1',
        attempts: 2,
        code: 'notification-failed',
        message: 'something-else happened',
        retryClass: 'retryable',
      }),
    );
  });
});

describe('webhookCallFailure', () => {
  it('keeps the activity own code and class, with the status, latency and attempts it reported', () => {
    const failure = webhookCallFailure(
      's2',
      activityFailure(own('webhook-node-http-status', true, { attempt: 1, httpStatus: 422, latencyMs: 12 })),
    );
    expect(exactly(failure)).toBe(
      exactly({
        kind: 'webhookCallFailed',
        stepId: 's2',
        httpStatus: 422,
        latencyMs: 12,
        attempts: 1,
        code: 'webhook-node-http-status',
        message: 'webhook-node-http-status happened',
        retryClass: 'terminal',
      }),
    );
  });

  it('reads every attempt timing out as unreachable, and an error without details as null status and latency', () => {
    expect(exactly(webhookCallFailure('s2', activityFailure(new TimeoutFailure('timed out', undefined, 'START_TO_CLOSE'))))).toBe(
      exactly({
        kind: 'webhookCallFailed',
        stepId: 's2',
        httpStatus: null,
        latencyMs: null,
        code: 'webhook-node-unreachable',
        message: 'every attempt of the webhook call timed out or was lost',
        retryClass: 'retryable',
      }),
    );
    expect(exactly(webhookCallFailure('s2', new Error('boom')))).toBe(
      exactly({
        kind: 'webhookCallFailed',
        stepId: 's2',
        httpStatus: null,
        latencyMs: null,
        code: 'webhook-node-failed',
        message: 'boom',
        retryClass: 'retryable',
      }),
    );
  });
});
