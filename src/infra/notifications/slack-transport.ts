import { postToCheckedUrl, type CheckedUrlOutcome } from '../outbound/checked-url-post';
import type { LookupAll } from '../outbound/ssrf-guard';
import type { TransportOutcome } from './transport-outcome';

/** SLACK_BOT_TOKEN and SLACK_API_URL (docs/notifications.md, "Configuration"). */
export interface SlackSettings {
  botToken: string | undefined;
  /** Where chat.postMessage lives; https://slack.com/api unless the operator points it elsewhere. */
  apiUrl: string;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: lifts the https and private-address rules for incoming-webhook URLs. */
  allowPrivateTargets: boolean;
  lookup?: LookupAll;
}

export interface SlackMessage {
  nodeId: string;
  /** A channel id, or an incoming-webhook URL. */
  target: string;
  text: string;
  blocks: unknown[] | null;
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api';
const ATTEMPT_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;
export const SLACK_USER_AGENT = 'approval-engine-notification';

/** Slack's own words for "try again later"; every other `ok:false` error is a configuration problem. */
const RETRYABLE_API_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

const failed = (code: string, message: string, retryable: boolean, reason?: string): TransportOutcome => ({
  kind: 'failed',
  code,
  message,
  retryable,
  ...(reason === undefined ? {} : { reason }),
});

const short = (body: Buffer): string => body.toString('utf8').slice(0, 200).trim();

/** Network trouble, 429 and 5xx are retried; any other answer but 2xx is final. */
const transportFailure = (nodeId: string, outcome: CheckedUrlOutcome, what: string): TransportOutcome => {
  switch (outcome.kind) {
    case 'refused':
      return outcome.reason === 'ssrf-blocked'
        ? failed('notification-url-refused', outcome.message, false, 'notification-url-refused')
        : failed('notification-slack-unreachable', `notification node ${nodeId}: ${outcome.message}`, true);
    case 'unanswered':
      return failed('notification-slack-unreachable', `notification node ${nodeId}: ${what} could not be reached or did not answer`, true);
    case 'answered': {
      const retryable = outcome.status === 429 || outcome.status >= 500;
      const said = short(outcome.body);
      return failed(
        'notification-slack-rejected',
        `notification node ${nodeId}: ${what} answered HTTP ${outcome.status}${said === '' ? '' : ` (${said})`}`,
        retryable,
      );
    }
  }
};

const payloadOf = (message: SlackMessage, channel?: string): Buffer =>
  Buffer.from(
    JSON.stringify({
      ...(channel === undefined ? {} : { channel }),
      text: message.blocks === null ? message.text : 'notification',
      ...(message.blocks === null ? {} : { blocks: message.blocks }),
    }),
    'utf8',
  );

/**
 * Slack through an incoming-webhook URL (the author's, checked like every outbound URL before each
 * attempt) or chat.postMessage with the operator's bot token.
 */
export class SlackTransport {
  constructor(private readonly settings: SlackSettings) {}

  /** A channel id needs the bot token; an incoming-webhook URL is its own credential. */
  canSend(target: string): boolean {
    return target.includes('://') || this.settings.botToken !== undefined;
  }

  send(message: SlackMessage, signal?: AbortSignal): Promise<TransportOutcome> {
    return message.target.includes('://') ? this.toWebhook(message, signal) : this.toChannel(message, signal);
  }

  private async toWebhook(message: SlackMessage, signal?: AbortSignal): Promise<TransportOutcome> {
    const outcome = await postToCheckedUrl(message.target, {
      allowPrivate: this.settings.allowPrivateTargets,
      ...(this.settings.lookup ? { lookup: this.settings.lookup } : {}),
      subject: `notification node ${message.nodeId} slackTarget`,
      headers: { 'content-type': 'application/json', 'user-agent': SLACK_USER_AGENT },
      body: payloadOf(message),
      maxResponseBytes: MAX_ANSWER_BYTES,
      deadline: Date.now() + ATTEMPT_TIMEOUT_MS,
      ...(signal ? { signal } : {}),
    });
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300)
      return { kind: 'sent', output: { slackTarget: 'incoming-webhook', httpStatus: outcome.status } };
    return transportFailure(message.nodeId, outcome, 'the Slack incoming webhook');
  }

  private async toChannel(message: SlackMessage, signal?: AbortSignal): Promise<TransportOutcome> {
    // The operator's own setting: trusted like the Temporal address, so no private-address rule.
    const outcome = await postToCheckedUrl(`${this.settings.apiUrl.replace(/\/+$/, '')}/chat.postMessage`, {
      allowPrivate: true,
      subject: 'SLACK_API_URL',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${this.settings.botToken ?? ''}`,
        'user-agent': SLACK_USER_AGENT,
      },
      body: payloadOf(message, message.target),
      maxResponseBytes: MAX_ANSWER_BYTES,
      deadline: Date.now() + ATTEMPT_TIMEOUT_MS,
      ...(signal ? { signal } : {}),
    });
    if (outcome.kind !== 'answered' || outcome.status < 200 || outcome.status >= 300)
      return transportFailure(message.nodeId, outcome, 'the Slack API');
    let answer: { ok?: unknown; error?: unknown; ts?: unknown; channel?: unknown };
    try {
      answer = JSON.parse(outcome.body.toString('utf8')) as typeof answer;
    } catch {
      return failed('notification-slack-unreachable', `notification node ${message.nodeId}: the Slack API answered with no JSON`, true);
    }
    if (answer.ok === true) {
      return {
        kind: 'sent',
        output: {
          slackTarget: 'channel',
          slackChannel: typeof answer.channel === 'string' ? answer.channel : message.target,
          ...(typeof answer.ts === 'string' ? { ts: answer.ts } : {}),
        },
      };
    }
    const error = typeof answer.error === 'string' ? answer.error : 'unknown_error';
    return failed(
      'notification-slack-rejected',
      `notification node ${message.nodeId}: Slack refused the message to ${message.target} (${error})`,
      RETRYABLE_API_ERRORS.has(error),
    );
  }
}
