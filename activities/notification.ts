import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { SlackTransport } from '../src/infra/notifications/slack-transport';
import type { SmtpTransport } from '../src/infra/notifications/smtp-transport';
import type { TransportOutcome } from '../src/infra/notifications/transport-outcome';
import { heartbeatWhile } from './heartbeat';
import {
  NOTIFICATION_FAILURE,
  type NotificationFailureDetails,
  type NotificationReport,
  type SendNotificationInput,
} from './notification-types';

/** The transports the operator configured (docs/notifications.md, "Configuration"); absent means not configured. */
export interface NotificationDeps {
  email: SmtpTransport | undefined;
  slack: SlackTransport;
}

const failure = (outcome: Extract<TransportOutcome, { kind: 'failed' }>, attempt: number): ApplicationFailure => {
  const details: NotificationFailureDetails = { attempt, ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) };
  return outcome.retryable
    ? ApplicationFailure.retryable(outcome.message, outcome.code, details)
    : ApplicationFailure.nonRetryable(outcome.message, outcome.code, details);
};

const transportMissing = (message: SendNotificationInput['message'], setting: string): TransportOutcome => ({
  kind: 'failed',
  code: NOTIFICATION_FAILURE.transportMissing,
  message: `notification node ${message.nodeId} (channel ${message.channel}) cannot be sent: ${setting} is not configured on the worker`,
  retryable: false,
  reason: NOTIFICATION_FAILURE.transportMissing,
});

/**
 * The sendNotification activity: one attempt at handing a rendered message to its transport
 * (docs/notifications.md). No transport configured fails for good with
 * `notification-transport-missing`, never a silent success. Failures carry the step's error code as
 * the ApplicationFailure type; a final one is non-retryable.
 */
export const createSendNotification =
  (deps: NotificationDeps) =>
  async (input: SendNotificationInput): Promise<NotificationReport> => {
    const context = Context.current();
    const { attempt } = context.info;
    const { message } = input;
    const outcome = await heartbeatWhile(async (): Promise<TransportOutcome> => {
      if (message.channel === 'email') {
        if (!deps.email) return transportMissing(message, 'SMTP_URL');
        return deps.email.send({
          nodeId: message.nodeId,
          recipients: message.recipients,
          subject: message.subject,
          body: message.body,
          format: message.format,
          messageId: `<${message.stepId}.${message.executionId}@approval-engine>`,
        });
      }
      const target = message.slackTarget ?? '';
      if (!deps.slack.canSend(target)) return transportMissing(message, 'SLACK_BOT_TOKEN');
      return deps.slack.send({ nodeId: message.nodeId, target, text: message.body, blocks: message.blocks }, context.cancellationSignal);
    });
    if (context.cancellationSignal.aborted) throw new CancelledFailure('the notification was cancelled');
    if (outcome.kind === 'failed') {
      context.log.warn('notification not sent', { stepId: message.stepId, attempt, code: outcome.code, retryable: outcome.retryable });
      throw failure(outcome, attempt);
    }
    return { output: outcome.output, attempt };
  };
