import { ActivityFailure, ApplicationFailure, proxyActivities, TimeoutFailure, type ActivityOptions } from '@temporalio/workflow';
import type { EngineActivities } from '../../activities';
import type { NotificationFailureDetails } from '../../activities/notification-types';
import type { NotificationFailed, NotificationSent, SendNotification } from '../../src/core/interpreter';
import { failureDetails } from './failure-details';
import { StepScopes } from './step-scopes';

/**
 * Notification sends have their own bounded options (docs/notifications.md, "Delivery and
 * retries"): at most five attempts, 1 s, 2 s, 4 s, 8 s apart, each bounded by the transports' own
 * timeouts plus a margin, heartbeating so a lost worker is noticed within seconds.
 */
export const NOTIFICATION_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
} as const satisfies ActivityOptions;

export type NotificationResult = NotificationSent | NotificationFailed;

/** What the activity's final failure means for the step: its code, and whether retrying could have helped. */
export const notificationFailure = (stepId: string, error: unknown): NotificationFailed => {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const details = failureDetails<NotificationFailureDetails>(cause);
  const base = { kind: 'notificationFailed' as const, stepId, attempts: details.attempt };
  if (cause instanceof ApplicationFailure && typeof cause.type === 'string' && cause.type.startsWith('notification-')) {
    return {
      ...base,
      code: cause.type,
      message: cause.message,
      retryClass: cause.nonRetryable ? 'terminal' : 'retryable',
      ...(details.reason === undefined ? {} : { reason: details.reason }),
    };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      ...base,
      code: 'notification-unreachable',
      message: 'every attempt of the notification timed out or was lost',
      retryClass: 'retryable',
    };
  }
  return { ...base, code: 'notification-failed', message: cause instanceof Error ? cause.message : String(cause), retryClass: 'retryable' };
};

const { sendNotification } = proxyActivities<EngineActivities>(NOTIFICATION_ACTIVITY_OPTIONS);

/**
 * Runs each notification step's send as an activity in its own cancellation scope and reports how
 * it ended; a cancelled send (its step ended first) reports nothing (see StepScopes).
 */
export class NotificationSends {
  private readonly scopes = new StepScopes();

  constructor(
    private readonly workspaceId: string,
    private readonly report: (result: NotificationResult) => void,
  ) {}

  get settled(): boolean {
    return this.scopes.settled;
  }

  start(command: SendNotification): void {
    const { kind: _kind, ...message } = command;
    const { stepId } = command;
    this.scopes.run(stepId, () => sendNotification({ workspaceId: this.workspaceId, message }), {
      succeeded: ({ attempt, output }) => this.report({ kind: 'notificationSent', stepId, output, attempts: attempt }),
      failed: (error) => this.report(notificationFailure(stepId, error)),
    });
  }

  cancel(stepId: string): void {
    this.scopes.cancel(stepId);
  }
}
