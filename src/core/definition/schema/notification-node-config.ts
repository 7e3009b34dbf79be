import { NOTIFICATION_NODE_LIMITS } from './notification-node-limits';
import { z } from 'zod';

/*
 * A notification node's config (docs/notifications.md). The rules between fields are checked in
 * `superRefine` so their messages name the field; the transports themselves are the operator's
 * settings, read by the worker at run time.
 */

export const NOTIFICATION_MESSAGES = {
  emailRecipients: 'notification node with channel="email" requires a non-empty recipients array',
  slackTarget: 'notification node with channel="slack" requires a slackTarget (channel id or incoming-webhook URL)',
  slackBlocksOnEmail: 'format "slack-blocks" is valid only on channel "slack"',
  recipientsOnSlack: 'recipients apply only to channel "email"',
  slackTargetOnEmail: 'slackTarget applies only to channel "slack"',
  slackTargetShape: 'must be a Slack channel id (e.g. C0123ABCD) or an https incoming-webhook URL',
} as const;

// One address, no display name: no CR/LF or angle brackets can reach a mail header.
const RecipientSchema = z
  .string()
  .max(NOTIFICATION_NODE_LIMITS.recipientMaxChars)
  .regex(/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/, 'must be an email address (name@example.com)');

const CHANNEL_ID = /^[A-Z0-9][A-Z0-9_-]{1,79}$/i;

/** An incoming-webhook URL (anything with a scheme) or a channel id. */
export const isSlackWebhookUrl = (target: string): boolean => target.includes('://');

const SlackTargetSchema = z
  .string()
  .min(1)
  .max(NOTIFICATION_NODE_LIMITS.slackTargetMaxChars)
  .refine((target) => (isSlackWebhookUrl(target) ? URL.canParse(target) : CHANNEL_ID.test(target)), NOTIFICATION_MESSAGES.slackTargetShape);

export const NotificationNodeConfigSchema = z
  .strictObject({
    channel: z
      .enum(['email', 'slack'])
      .meta({ description: 'email (SMTP_URL) or slack (incoming-webhook URL, or a channel id with SLACK_BOT_TOKEN).' }),
    bodyTemplate: z
      .string()
      .min(1)
      .max(NOTIFICATION_NODE_LIMITS.bodyTemplateMaxChars)
      .meta({ description: '{{dot.path}} substitution over input.*, execution.* and step.* (docs/notifications.md).' }),
    recipients: z
      .array(RecipientSchema)
      .min(NOTIFICATION_NODE_LIMITS.recipients.min)
      .max(NOTIFICATION_NODE_LIMITS.recipients.max)
      .optional()
      .meta({ description: 'email: 1-50 addresses.' }),
    subjectTemplate: z.string().max(NOTIFICATION_NODE_LIMITS.subjectTemplateMaxChars).optional().meta({ description: 'email subject.' }),
    slackTarget: SlackTargetSchema.optional().meta({
      description: 'slack: a channel id, or an https incoming-webhook URL (checked like webhookUrl).',
    }),
    format: z
      .enum(['text', 'html', 'slack-blocks'])
      .optional()
      .meta({ description: 'Default text; slack-blocks (slack only) must render to a JSON array of Block Kit blocks.' }),
  })
  .superRefine((config, ctx) => {
    if (config.channel === 'email') {
      if (config.recipients === undefined)
        ctx.addIssue({ code: 'custom', path: ['recipients'], message: NOTIFICATION_MESSAGES.emailRecipients });
      if (config.format === 'slack-blocks')
        ctx.addIssue({ code: 'custom', path: ['format'], message: NOTIFICATION_MESSAGES.slackBlocksOnEmail });
      if (config.slackTarget !== undefined)
        ctx.addIssue({ code: 'custom', path: ['slackTarget'], message: NOTIFICATION_MESSAGES.slackTargetOnEmail });
    } else {
      if (config.slackTarget === undefined)
        ctx.addIssue({ code: 'custom', path: ['slackTarget'], message: NOTIFICATION_MESSAGES.slackTarget });
      if (config.recipients !== undefined)
        ctx.addIssue({ code: 'custom', path: ['recipients'], message: NOTIFICATION_MESSAGES.recipientsOnSlack });
    }
  })
  .meta({ description: 'An email or Slack message sent from the run (docs/notifications.md).' });
export type NotificationNodeConfig = z.infer<typeof NotificationNodeConfigSchema>;

export { NOTIFICATION_NODE_LIMITS };
