import { describe, expect, it } from 'vitest';
import { NOTIFICATION_MESSAGES } from '../../../src/core/definition';
import { agent, definition, edge, expectValid, messagesOf } from '../definition/helpers';

/* The notification node's config at write time (docs/notifications.md, "Node config"). */

const withNotification = (config: Record<string, unknown>) =>
  definition({ nodes: [agent('start'), { nodeId: 'notify', type: 'notification', config }], edges: [edge('start', 'notify')] });

const email = {
  channel: 'email',
  recipients: ['lead@acme.dev'],
  subjectTemplate: 'Approval {{input.decision}}',
  bodyTemplate: 'Findings: {{input.summary}}',
};

describe('notification node config', () => {
  it('accepts an email node and a Slack node (channel id or incoming-webhook URL), and stores them as sent', () => {
    const stored = expectValid(withNotification(email));
    expect(stored.nodes[1]).toEqual({ nodeId: 'notify', type: 'notification', config: email });
    expectValid(withNotification({ channel: 'slack', slackTarget: 'C0123ABCD', bodyTemplate: 'hi', format: 'text' }));
    expectValid(
      withNotification({
        channel: 'slack',
        slackTarget: 'https://hooks.slack.com/services/T0/B0/xyz',
        bodyTemplate: '[]',
        format: 'slack-blocks',
      }),
    );
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'email without recipients',
      { channel: 'email', bodyTemplate: 'x' },
      `data.nodes[1].config.recipients: ${NOTIFICATION_MESSAGES.emailRecipients}`,
    ],
    [
      'email with an empty recipients array',
      { channel: 'email', recipients: [], bodyTemplate: 'x' },
      'data.nodes[1].config.recipients: Too small',
    ],
    [
      'slack without a slackTarget',
      { channel: 'slack', bodyTemplate: 'x' },
      `data.nodes[1].config.slackTarget: ${NOTIFICATION_MESSAGES.slackTarget}`,
    ],
    [
      'slack-blocks on email',
      { ...email, format: 'slack-blocks' },
      `data.nodes[1].config.format: ${NOTIFICATION_MESSAGES.slackBlocksOnEmail}`,
    ],
    ['no bodyTemplate', { channel: 'email', recipients: ['a@b.co'] }, 'data.nodes[1].config.bodyTemplate: '],
    ['an empty bodyTemplate', { ...email, bodyTemplate: '' }, 'data.nodes[1].config.bodyTemplate: Too small'],
    ['a bodyTemplate over 16000 chars', { ...email, bodyTemplate: 'b'.repeat(16_001) }, 'data.nodes[1].config.bodyTemplate: Too big'],
    ['a subjectTemplate over 2000 chars', { ...email, subjectTemplate: 's'.repeat(2001) }, 'data.nodes[1].config.subjectTemplate: Too big'],
    [
      '51 recipients',
      { ...email, recipients: Array.from({ length: 51 }, (_, i) => `r${i}@acme.dev`) },
      'data.nodes[1].config.recipients: Too big',
    ],
    [
      'a recipient that is not an address',
      { ...email, recipients: ['Lead <lead@acme.dev>'] },
      'data.nodes[1].config.recipients[0]: must be an email address',
    ],
    [
      'a header-injecting recipient',
      { ...email, recipients: ['a@b.co\r\nBcc: x@y.z'] },
      'data.nodes[1].config.recipients[0]: must be an email address',
    ],
    [
      'a slackTarget that is neither',
      { channel: 'slack', slackTarget: 'general channel', bodyTemplate: 'x' },
      `data.nodes[1].config.slackTarget: ${NOTIFICATION_MESSAGES.slackTargetShape}`,
    ],
    [
      'recipients on slack',
      { channel: 'slack', slackTarget: 'C0123', recipients: ['a@b.co'], bodyTemplate: 'x' },
      `data.nodes[1].config.recipients: ${NOTIFICATION_MESSAGES.recipientsOnSlack}`,
    ],
    ['an unknown channel', { ...email, channel: 'sms' }, 'data.nodes[1].config.channel: '],
    ['an unknown field', { ...email, cc: ['x@y.z'] }, 'data.nodes[1].config.cc: Unrecognized key: "cc"'],
  ])('refuses %s, naming the field', (_name, config, message) => {
    expect(messagesOf(withNotification(config))[0]).toContain(message);
  });
});
