import type { SendNotification } from '../src/core/interpreter';

/** What the sendNotification activity gets: the rendered message (docs/notifications.md). */
export interface SendNotificationInput {
  workspaceId: string;
  message: Omit<SendNotification, 'kind'>;
}

export interface NotificationReport {
  /** The step's output (never a credential: no webhook URL, no token). */
  output: Record<string, unknown>;
  attempt: number;
}

export type NotificationRetryClass = 'terminal' | 'retryable';

/** The details of the activity's failure (its ApplicationFailure `type` is the step's error code). */
export interface NotificationFailureDetails {
  attempt: number;
  /** Set for configuration failures (no transport, a refused URL). */
  reason?: string | undefined;
}

export const NOTIFICATION_FAILURE = {
  transportMissing: 'notification-transport-missing',
  urlRefused: 'notification-url-refused',
  emailAuthFailed: 'notification-email-auth-failed',
  emailUndelivered: 'notification-email-undelivered',
  emailUnreachable: 'notification-email-unreachable',
  slackRejected: 'notification-slack-rejected',
  slackUnreachable: 'notification-slack-unreachable',
} as const;
