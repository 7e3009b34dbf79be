import type { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSendNotification } from '../../../activities/notification';
import type { NotificationReport, SendNotificationInput } from '../../../activities/notification-types';
import { notificationTransports, type NotificationSettings } from '../../../src/infra/notifications/transports';
import { freePort } from '../../../src/infra/net/free-port';
import { startReceiver, type Answer, type Received, type TestReceiver } from '../../support/receiver';
import { startSmtpReceiver, type SmtpReceiver, type SmtpReceiverOptions } from '../../support/smtp-receiver';

/*
 * The sendNotification activity against a real SMTP server (smtp-server) and real HTTP receivers
 * standing in for Slack (docs/notifications.md, "Delivery and retries").
 */

const open: Array<SmtpReceiver | TestReceiver> = [];
afterEach(async () => {
  for (const server of open.splice(0)) await server.close();
});

const smtp = async (options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> => {
  const server = await startSmtpReceiver(options);
  open.push(server);
  return server;
};

const http = async (answer: (request: Received) => Answer): Promise<TestReceiver> => {
  const server = await startReceiver(answer);
  open.push(server);
  return server;
};

const message = (extra: Partial<SendNotificationInput['message']> = {}): SendNotificationInput => ({
  workspaceId: 'ws_1',
  message: {
    stepId: 'step_notify_1_abcdef',
    nodeId: 'notify',
    executionId: 'exec_1_abcdefgh',
    channel: 'email',
    format: 'text',
    recipients: ['lead@acme.dev', 'pm@acme.dev'],
    subject: 'Approval approve for Pricing',
    slackTarget: null,
    body: 'Findings: 3 broken links.\nSee the run for details.',
    blocks: null,
    ...extra,
  },
});

const slackMessage = (slackTarget: string, extra: Partial<SendNotificationInput['message']> = {}) =>
  message({ channel: 'slack', recipients: [], subject: null, slackTarget, body: 'Deploy approved', ...extra });

const send = async (
  input: SendNotificationInput,
  settings: NotificationSettings,
  allowPrivateTargets = true,
): Promise<{ report: NotificationReport | undefined; error: ApplicationFailure | undefined }> => {
  const activity = createSendNotification(notificationTransports(settings, { allowPrivateTargets }));
  try {
    return { report: await new MockActivityEnvironment().run(activity, input), error: undefined };
  } catch (error) {
    return { report: undefined, error: error as ApplicationFailure };
  }
};

describe('email over SMTP', () => {
  it('delivers the rendered subject and body to every recipient, from SMTP_FROM', async () => {
    const server = await smtp();
    const { report, error } = await send(message(), { smtpUrl: server.url, smtpFrom: 'Approvals <approvals@acme.dev>' });
    expect(error).toBeUndefined();
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({
      envelopeFrom: 'approvals@acme.dev',
      envelopeTo: ['lead@acme.dev', 'pm@acme.dev'],
      from: '"Approvals" <approvals@acme.dev>',
      subject: 'Approval approve for Pricing',
      text: 'Findings: 3 broken links.\nSee the run for details.',
      html: null,
      messageId: '<step_notify_1_abcdef.exec_1_abcdefgh@approval-engine>',
    });
    expect(report).toMatchObject({ attempt: 1, output: { delivered: 2, accepted: ['lead@acme.dev', 'pm@acme.dev'], rejected: [] } });
  });

  it('sends format html as the HTML part, and keeps a subject on one line', async () => {
    const server = await smtp();
    await send(message({ format: 'html', body: '<p>Approved</p>', subject: 'line one\r\nBcc: evil@x.y' }), { smtpUrl: server.url });
    expect(server.received[0]).toMatchObject({
      subject: 'line one Bcc: evil@x.y',
      html: '<p>Approved</p>',
      envelopeTo: ['lead@acme.dev', 'pm@acme.dev'],
    });
  });

  it('completes when at least one recipient is accepted, listing the refused ones', async () => {
    const server = await smtp({ refuseRecipients: ['pm@acme.dev'] });
    const { report } = await send(message(), { smtpUrl: server.url });
    expect(report?.output).toMatchObject({ delivered: 1, accepted: ['lead@acme.dev'], rejected: ['pm@acme.dev'] });
    expect(server.received[0]?.envelopeTo).toEqual(['lead@acme.dev']);
  });

  it('a server that refuses every recipient fails the attempt, retryable (delivering to none retries)', async () => {
    const server = await smtp({ refuseRecipients: '*' });
    const { error } = await send(message(), { smtpUrl: server.url });
    expect(error).toMatchObject({ type: 'notification-email-undelivered', nonRetryable: false });
    expect(error?.message).toContain('550');
    expect(server.refused).toEqual(['lead@acme.dev', 'pm@acme.dev']);
    expect(server.received).toHaveLength(0);
  });

  it('credentials the server refuses are final, and the message never names the SMTP_URL', async () => {
    const server = await smtp({
      credentials: { user: 'engine', pass: 'right' },
      credentialsInUrl: { user: 'engine', pass: 'wrong-secret' },
    });
    const { error } = await send(message(), { smtpUrl: server.url });
    expect(error).toMatchObject({ type: 'notification-email-auth-failed', nonRetryable: true });
    expect(error?.details?.[0]).toMatchObject({ reason: 'notification-email-auth-failed' });
    expect(error?.message).not.toContain('wrong-secret');
    expect(server.received).toHaveLength(0);
  });

  it('a server that cannot be reached is retryable', async () => {
    const port = await freePort();
    const { error } = await send(message(), { smtpUrl: `smtp://127.0.0.1:${port}` });
    expect(error).toMatchObject({ type: 'notification-email-unreachable', nonRetryable: false });
  });

  it('without SMTP_URL the attempt fails for good with notification-transport-missing', async () => {
    const { error } = await send(message(), {});
    expect(error).toMatchObject({ type: 'notification-transport-missing', nonRetryable: true });
    expect(error?.message).toContain('SMTP_URL is not configured');
    expect(error?.details?.[0]).toMatchObject({ reason: 'notification-transport-missing' });
  });
});

describe('Slack through an incoming webhook', () => {
  it('posts the text as JSON to the URL', async () => {
    const hook = await http(() => ({ status: 200, body: 'ok' }));
    const { report } = await send(slackMessage(`${hook.url}services/T0/B0/x`), {});
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.path).toBe('/services/T0/B0/x');
    expect(JSON.parse(hook.received[0]?.rawBody ?? '')).toEqual({ text: 'Deploy approved' });
    expect(report?.output).toEqual({ slackTarget: 'incoming-webhook', httpStatus: 200 });
    expect(JSON.stringify(report)).not.toContain(hook.url);
  });

  it('sends slack-blocks as blocks', async () => {
    const hook = await http(() => 200);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Deploy* approved' } }];
    await send(slackMessage(hook.url, { format: 'slack-blocks', body: JSON.stringify(blocks), blocks }), {});
    expect(JSON.parse(hook.received[0]?.rawBody ?? '')).toEqual({ text: 'notification', blocks });
  });

  it('a 4xx is final, a 5xx and a 429 are retryable', async () => {
    const gone = await http(() => ({ status: 404, body: 'no_service' }));
    const { error: final } = await send(slackMessage(gone.url), {});
    expect(final).toMatchObject({ type: 'notification-slack-rejected', nonRetryable: true });
    expect(final?.message).toContain('HTTP 404');
    for (const status of [500, 503, 429]) {
      const flaky = await http(() => status);
      const { error } = await send(slackMessage(flaky.url), {});
      expect(error).toMatchObject({ type: 'notification-slack-rejected', nonRetryable: false });
    }
  });

  it('is checked like every outbound URL: a loopback target without WEBHOOK_ALLOW_PRIVATE_TARGETS is refused for good, nothing sent', async () => {
    const hook = await http(() => 200);
    const { error } = await send(slackMessage(hook.url), {}, false);
    expect(error).toMatchObject({ type: 'notification-url-refused', nonRetryable: true });
    expect(error?.details?.[0]).toMatchObject({ reason: 'notification-url-refused' });
    expect(hook.received).toHaveLength(0);
  });

  it('an unreachable receiver is retryable', async () => {
    const port = await freePort();
    const { error } = await send(slackMessage(`http://127.0.0.1:${port}/hook`), {});
    expect(error).toMatchObject({ type: 'notification-slack-unreachable', nonRetryable: false });
  });
});

describe('Slack to a channel id with the bot token (chat.postMessage)', () => {
  const slackApi = (answer: (request: Received) => Answer) => http(answer);

  it('posts channel and text with the bearer token to SLACK_API_URL/chat.postMessage', async () => {
    const api = await slackApi(() => ({ status: 200, body: { ok: true, channel: 'C0123ABCD', ts: '1700000000.000100' } }));
    const { report } = await send(slackMessage('C0123ABCD'), { slackBotToken: 'xoxb-test-token', slackApiUrl: `${api.url}api` });
    expect(api.received).toHaveLength(1);
    expect(api.received[0]?.path).toBe('/api/chat.postMessage');
    expect(api.received[0]?.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(JSON.parse(api.received[0]?.rawBody ?? '')).toEqual({ channel: 'C0123ABCD', text: 'Deploy approved' });
    expect(report?.output).toEqual({ slackTarget: 'channel', slackChannel: 'C0123ABCD', ts: '1700000000.000100' });
  });

  it('without SLACK_BOT_TOKEN a channel id fails for good with notification-transport-missing, nothing sent', async () => {
    const api = await slackApi(() => 200);
    const { error } = await send(slackMessage('C0123ABCD'), { slackApiUrl: api.url });
    expect(error).toMatchObject({ type: 'notification-transport-missing', nonRetryable: true });
    expect(error?.message).toContain('SLACK_BOT_TOKEN is not configured');
    expect(api.received).toHaveLength(0);
  });

  it("Slack's configuration errors are final; rate limits, its own errors and 5xx are retryable", async () => {
    const cases: Array<[Answer, boolean, string]> = [
      [{ status: 200, body: { ok: false, error: 'channel_not_found' } }, true, 'channel_not_found'],
      [{ status: 200, body: { ok: false, error: 'invalid_auth' } }, true, 'invalid_auth'],
      [{ status: 200, body: { ok: false, error: 'ratelimited' } }, false, 'ratelimited'],
      [{ status: 200, body: { ok: false, error: 'internal_error' } }, false, 'internal_error'],
      [503, false, 'HTTP 503'],
      [429, false, 'HTTP 429'],
    ];
    for (const [answer, final, said] of cases) {
      const api = await slackApi(() => answer);
      const { error } = await send(slackMessage('C0123ABCD'), { slackBotToken: 'xoxb-test-token', slackApiUrl: api.url });
      expect(error, said).toMatchObject({ type: 'notification-slack-rejected', nonRetryable: final });
      expect(error?.message).toContain(said);
    }
  });
});
