import { describe, expect, it } from 'vitest';
import type { CanonicalNotificationNode, NotificationNodeConfig } from '../../../src/core/definition';
import type { SendNotification } from '../../../src/core/interpreter';
import { agent, def, edge, passed, Run, statusGate } from './harness';

/* Notification steps in the interpreter (docs/notifications.md): rendered at start, ended by the send's report. */

const notification = (
  nodeId: string,
  config: Partial<NotificationNodeConfig> = {},
  extra: { slaMs?: number } = {},
): CanonicalNotificationNode => ({
  nodeId,
  type: 'notification',
  config: {
    channel: 'email',
    recipients: ['lead@acme.dev'],
    subjectTemplate: 'Approval {{input.decision}} for {{execution.triggerContext.page.title}}',
    bodyTemplate: 'Findings: {{input.agentResultsSummary}} (step {{step.nodeId}}, run {{execution.executionId}})',
    ...config,
  },
  ...extra,
});

const sendOf = (run: Run, nodeId: string): SendNotification => {
  const send = run.commands.find(
    (command): command is SendNotification => command.kind === 'sendNotification' && command.nodeId === nodeId,
  );
  if (!send) throw new Error(`no sendNotification for ${nodeId}`);
  return send;
};

const draftThenNotify = (config: Partial<NotificationNodeConfig> = {}) =>
  def({
    nodes: [agent('draft'), notification('notify', config), agent('recover')],
    edges: [edge('draft', 'notify'), edge('notify', 'recover', statusGate('failed'))],
  });

describe('notification nodes', () => {
  it('render subject and body from the previous output, the execution and the step, then run until the send reports', () => {
    const run = Run.start(draftThenNotify(), { page: { title: 'Pricing' } });
    run.agentDone('draft', passed({ decision: 'approve' }));
    const send = sendOf(run, 'notify');
    expect(send).toMatchObject({
      channel: 'email',
      format: 'text',
      recipients: ['lead@acme.dev'],
      subject: 'Approval approve for Pricing',
      body: `Findings: {"summary":"ok"} (step notify, run ${run.state.executionId})`,
      slackTarget: null,
      blocks: null,
      stepId: run.id('notify'),
      executionId: run.state.executionId,
    });
    expect(run.step('notify').status).toBe('running');
    run.apply({ kind: 'notificationSent', stepId: run.id('notify'), output: { accepted: ['lead@acme.dev'], rejected: [] }, attempts: 2 });
    expect(run.step('notify')).toMatchObject({
      status: 'completed',
      retryCount: 1,
      output: { channel: 'email', accepted: ['lead@acme.dev'] },
    });
    expect(run.eventsOf('step.completed').at(-1)?.data).toEqual({ nodeType: 'notification', channel: 'email' });
    expect(run.state.status).toBe('completed');
  });

  it('a failed send fails the step with its code, channel and retry class (and reason for config failures); a failure edge routes it', () => {
    const run = Run.start(draftThenNotify());
    run.agentDone('draft');
    run.apply({
      kind: 'notificationFailed',
      stepId: run.id('notify'),
      code: 'notification-transport-missing',
      message: 'SMTP_URL is not configured',
      retryClass: 'terminal',
      reason: 'notification-transport-missing',
      attempts: 1,
    });
    expect(run.step('notify')).toMatchObject({
      status: 'failed',
      error: { code: 'notification-transport-missing' },
      output: { channel: 'email' },
    });
    expect(run.eventsOf('step.failed')[0]?.data).toEqual({
      error: { code: 'notification-transport-missing', message: 'SMTP_URL is not configured' },
      channel: 'email',
      retryClass: 'terminal',
      reason: 'notification-transport-missing',
    });
    run.runAgents();
    expect(run.step('recover').status).toBe('completed');
    expect(run.state.status).toBe('completed');
  });

  it('an unrouted failed send fails the run', () => {
    const run = Run.start(def({ nodes: [notification('notify')] }));
    run.apply({
      kind: 'notificationFailed',
      stepId: run.id('notify'),
      code: 'notification-slack-rejected',
      message: 'HTTP 500',
      retryClass: 'retryable',
      attempts: 5,
    });
    expect(run.step('notify').retryCount).toBe(4);
    expect(run.state.status).toBe('failed');
  });

  it('slack-blocks must render to a JSON array of blocks: the parsed blocks ride with the command, anything else fails at once', () => {
    const blocks = '[{"type":"section","text":{"type":"mrkdwn","text":"{{execution.triggerContext.title}}"}}]';
    const ok = Run.start(
      def({
        nodes: [
          notification('n', {
            channel: 'slack',
            slackTarget: 'C0123',
            bodyTemplate: blocks,
            format: 'slack-blocks',
            recipients: undefined,
            subjectTemplate: undefined,
          }),
        ],
      }),
      { title: 'Deploy' },
    );
    expect(sendOf(ok, 'n')).toMatchObject({
      channel: 'slack',
      slackTarget: 'C0123',
      subject: null,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Deploy' } }],
    });
    const bad = Run.start(
      def({
        nodes: [
          notification('n', {
            channel: 'slack',
            slackTarget: 'C0123',
            bodyTemplate: blocks,
            format: 'slack-blocks',
            recipients: undefined,
          }),
        ],
      }),
      { title: 'a "quoted" title' },
    );
    expect(bad.commands.some((command) => command.kind === 'sendNotification')).toBe(false);
    expect(bad.step('n')).toMatchObject({ status: 'failed', error: { code: 'notification-invalid-blocks' } });
    expect(bad.eventsOf('step.failed')[0]?.data).toMatchObject({
      channel: 'slack',
      reason: 'notification-invalid-blocks',
      retryClass: 'terminal',
    });
  });

  it('a rendering over the limit fails at once, before any send', () => {
    const run = Run.start(def({ nodes: [notification('n', { bodyTemplate: '{{execution.triggerContext.big}}'.repeat(40) })] }), {
      big: 'x'.repeat(2000),
    });
    expect(run.commands.some((command) => command.kind === 'sendNotification')).toBe(false);
    expect(run.step('n')).toMatchObject({ status: 'failed', error: { code: 'notification-render-too-large' } });
  });

  it('a step that ends while its send is out cancels the send, and the late report changes nothing', () => {
    const run = Run.start(def({ nodes: [notification('n')] }));
    const stepId = run.id('n');
    run.apply({ kind: 'stepCancelled', stepId, actorId: 'admin' });
    expect(run.lastCommands).toContainEqual({ kind: 'cancelNotification', stepId });
    run.apply({ kind: 'notificationSent', stepId, output: {} });
    expect(run.step('n').status).toBe('cancelled');
  });

  it('an SLA breach while the send is out cancels it', () => {
    const run = Run.start(
      def({ nodes: [notification('n', {}, { slaMs: 1000 }), agent('late')], edges: [edge('n', 'late', statusGate('breached'))] }),
    );
    run.advance(1000).fireDueTimers();
    expect(run.step('n').status).toBe('breached');
    expect(run.commands).toContainEqual({ kind: 'cancelNotification', stepId: run.id('n') });
  });
});
