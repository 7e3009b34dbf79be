import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../support/engine';
import { startReceiver, type Answer, type Received, type TestReceiver } from '../support/receiver';
import { allEvents, createDefinition, dispatch, expectError, freshId, stepOf, waitForTerminal } from '../support/rest-api';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';

/*
 * Notification nodes end to end (docs/notifications.md): a real SMTP server and real HTTP receivers
 * for Slack on loopback, the real API and worker. The worker has SMTP_URL and SLACK_API_URL but no
 * SLACK_BOT_TOKEN, so a channel-id target has no transport.
 */

let mail: SmtpReceiver;
let slack: TestReceiver;
/** Answers per path: each test gets its own incoming-webhook path on one receiver. */
const routes = new Map<string, (request: Received, seen: Received[]) => Answer>();
const seenByPath = new Map<string, Received[]>();

beforeAll(async () => {
  mail = await startSmtpReceiver();
  slack = await startReceiver((request) => {
    const seen = seenByPath.get(request.path) ?? [];
    seen.push(request);
    seenByPath.set(request.path, seen);
    return routes.get(request.path)?.(request, seen) ?? 404;
  });
});
afterAll(async () => {
  await mail?.close();
  await slack?.close();
});

const engine = useEngine(() => ({
  notifications: { smtpUrl: mail.url, smtpFrom: 'Approvals <approvals@acme.dev>', slackApiUrl: `${slack.url}api` },
}));
const api = engine.admin;

/** An incoming-webhook URL of its own, answered by `answer`; returns it and what arrived there. */
const hook = (answer: (request: Received, seen: Received[]) => Answer) => {
  const path = `/services/${freshId('hook')}`;
  routes.set(path, answer);
  return { url: `${slack.url.replace(/\/$/, '')}${path}`, seen: () => seenByPath.get(path) ?? [] };
};

const failedGate = JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'failed'] });

/** An agent that reports a decision, then the notification; a failure edge only when asked. */
const runWith = async (config: Record<string, unknown>, triggerContext: Record<string, unknown> = {}) => {
  const definitionId = freshId('notify');
  await createDefinition(api, {
    definitionId,
    name: 'Notification node',
    nodes: [
      {
        nodeId: 'review',
        type: 'agent',
        config: { agentId: '__mock__', inputMapping: { mock: { output: { summary: 'all links fine' } } } },
      },
      { nodeId: 'notify', type: 'notification', config },
    ],
    edges: [{ from: 'review', to: 'notify' }],
  });
  return (await dispatch(api, { definitionId, triggerContext })).executionId;
};

describe('email notifications', () => {
  it('an email with the rendered subject and body arrives at the SMTP server, and the step completes', async () => {
    const recipient = `${freshId('lead')}@acme.dev`;
    const executionId = await runWith(
      {
        channel: 'email',
        recipients: [recipient, 'pm@acme.dev'],
        subjectTemplate: 'Review {{input.decision}} for {{execution.triggerContext.page.title}}',
        bodyTemplate: 'Summary: {{input.summary}}\nRun {{execution.executionId}}, step {{step.nodeId}}.{{input.missing}}',
      },
      { page: { title: 'Pricing page' } },
    );
    const view = await waitForTerminal(api, executionId);
    expect(view.status).toBe('completed');
    const message = mail.received.find((received) => received.envelopeTo.includes(recipient));
    expect(message).toMatchObject({
      envelopeFrom: 'approvals@acme.dev',
      envelopeTo: [recipient, 'pm@acme.dev'],
      subject: 'Review approve for Pricing page',
      text: `Summary: all links fine\nRun ${executionId}, step notify.`,
    });
    expect(stepOf(view, 'notify')).toMatchObject({
      nodeType: 'notification',
      status: 'completed',
      output: { channel: 'email', delivered: 2, accepted: [recipient, 'pm@acme.dev'], rejected: [] },
    });
    const completed = (await allEvents(api, executionId)).find(
      (event) => event.type === 'step.completed' && event.stepId === stepOf(view, 'notify').stepId,
    );
    expect(completed?.data).toMatchObject({ nodeType: 'notification', channel: 'email' });
  });

  it('a config that breaks the node rules is refused at write time, naming the field', async () => {
    const response = await api.post('definitions/create', {
      definitionId: freshId('notify'),
      name: 'Bad notification',
      nodes: [{ nodeId: 'notify', type: 'notification', config: { channel: 'email', bodyTemplate: 'hi' } }],
      edges: [],
    });
    const error = expectError(response, 'INVALID_ARGUMENT', 400);
    expect(error.message).toContain(
      'data.nodes[0].config.recipients: notification node with channel="email" requires a non-empty recipients array',
    );
  });
});

describe('Slack notifications', () => {
  it('a Slack incoming-webhook post arrives at the receiver with the rendered text', async () => {
    const target = hook(() => ({ status: 200, body: 'ok' }));
    const executionId = await runWith(
      { channel: 'slack', slackTarget: target.url, bodyTemplate: 'Review of {{execution.triggerContext.repo}}: {{input.decision}}' },
      { repo: 'acme/web' },
    );
    const view = await waitForTerminal(api, executionId);
    expect(view.status).toBe('completed');
    expect(target.seen()).toHaveLength(1);
    expect(JSON.parse(target.seen()[0]!.rawBody)).toEqual({ text: 'Review of acme/web: approve' });
    expect(stepOf(view, 'notify').output).toEqual({ channel: 'slack', slackTarget: 'incoming-webhook', httpStatus: 200 });
  });

  it('a 4xx from Slack fails the step at once (terminal, one post) and fails the run', async () => {
    const target = hook(() => ({ status: 403, body: 'invalid_token' }));
    const executionId = await runWith({ channel: 'slack', slackTarget: target.url, bodyTemplate: 'x' });
    const view = await waitForTerminal(api, executionId);
    expect(view.status).toBe('failed');
    expect(stepOf(view, 'notify')).toMatchObject({ status: 'failed', error: { code: 'notification-slack-rejected' } });
    const failed = (await allEvents(api, executionId)).find((event) => event.type === 'step.failed');
    expect(failed?.data).toMatchObject({ channel: 'slack', retryClass: 'terminal' });
    expect(target.seen()).toHaveLength(1);
  });

  it('a 5xx is retried, and the step completes once Slack recovers', async () => {
    const target = hook((_request, seen) => (seen.length < 2 ? 500 : 200));
    const executionId = await runWith({ channel: 'slack', slackTarget: target.url, bodyTemplate: 'retry me' });
    const view = await waitForTerminal(api, executionId, 60_000);
    expect(view.status).toBe('completed');
    expect(stepOf(view, 'notify')).toMatchObject({ status: 'completed', output: { httpStatus: 200 } });
    expect(target.seen().map((request) => request.rawBody)).toEqual(['{"text":"retry me"}', '{"text":"retry me"}']);
  });

  it('a channel id with no SLACK_BOT_TOKEN fails with notification-transport-missing (never a silent success); a failure edge routes it', async () => {
    const definitionId = freshId('notify');
    await createDefinition(api, {
      definitionId,
      name: 'Slack without a token',
      nodes: [
        { nodeId: 'notify', type: 'notification', config: { channel: 'slack', slackTarget: 'C0123ABCD', bodyTemplate: 'hello' } },
        { nodeId: 'fallback', type: 'agent', config: { agentId: '__mock__' } },
      ],
      edges: [{ from: 'notify', to: 'fallback', when: failedGate }],
    });
    const { executionId } = await dispatch(api, { definitionId });
    const view = await waitForTerminal(api, executionId);
    expect(stepOf(view, 'notify')).toMatchObject({ status: 'failed', error: { code: 'notification-transport-missing' } });
    expect(stepOf(view, 'notify').error?.message).toContain('SLACK_BOT_TOKEN is not configured');
    expect(stepOf(view, 'fallback').status).toBe('completed');
    const failed = (await allEvents(api, executionId)).find((event) => event.type === 'step.failed');
    expect(failed?.data).toMatchObject({ channel: 'slack', reason: 'notification-transport-missing', retryClass: 'terminal' });
    expect(seenByPath.get('/api/chat.postMessage')).toBeUndefined();
  });
});
