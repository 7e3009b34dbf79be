import type { LookupAll } from '../outbound/ssrf-guard';
import { DEFAULT_SLACK_API_URL, SlackTransport } from './slack-transport';
import { DEFAULT_SMTP_FROM, SmtpTransport } from './smtp-transport';

/** The operator's notification settings (docs/notifications.md, "Configuration"), as the config parsed them. */
export interface NotificationSettings {
  smtpUrl?: string | undefined;
  smtpFrom?: string | undefined;
  slackBotToken?: string | undefined;
  slackApiUrl?: string | undefined;
}

/** The worker's transports: email only when SMTP_URL is set; Slack channel ids only with a bot token. */
export const notificationTransports = (
  settings: NotificationSettings,
  options: { allowPrivateTargets: boolean; lookup?: LookupAll },
): { email: SmtpTransport | undefined; slack: SlackTransport } => ({
  email: settings.smtpUrl ? new SmtpTransport({ url: settings.smtpUrl, from: settings.smtpFrom ?? DEFAULT_SMTP_FROM }) : undefined,
  slack: new SlackTransport({
    botToken: settings.slackBotToken,
    apiUrl: settings.slackApiUrl ?? DEFAULT_SLACK_API_URL,
    allowPrivateTargets: options.allowPrivateTargets,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  }),
});
