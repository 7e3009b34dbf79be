import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { EngineActivities } from '../../activities';
import type { NotificationFailureDetails } from '../../activities/notification-types';
import type { NotificationFailed, NotificationSent, SendNotification } from '../../src/core/interpreter';
import { outboundFailure } from './outbound-failure';
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
  const { details, own, ...failure } = outboundFailure<NotificationFailureDetails>(error, 'notification', 'notification');
  return {
    kind: 'notificationFailed',
    stepId,
    attempts: details.attempt,
    ...failure,
    ...(own && details.reason !== undefined ? { reason: details.reason } : {}),
  };
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
