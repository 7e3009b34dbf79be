import { NOTIFICATION_NODE_LIMITS } from '../../definition/schema/notification-node-limits';
import { parseSlackBlocks, renderTemplate, type TemplateRoots } from '../../notification/template';
import type { SendNotification } from '../commands';
import type { NotificationSpec } from '../plan';
import { materializeInput } from '../read/inputs';
import type { ExecutionState, StepState } from '../state';
import { findStep } from '../state';
import type { Tx } from '../transaction';
import { finishStep } from './finish';

/** What the step works on: its join/loop input, else its parent's output, else nothing (a root). */
const inputOf = (state: ExecutionState, step: StepState): Record<string, unknown> => {
  const materialized = materializeInput(state, step.input);
  if (materialized) return materialized;
  const parent = step.parentStepId === null ? undefined : findStep(state, step.parentStepId);
  return parent ? parent.output : {};
};

export const templateRoots = (state: ExecutionState, step: StepState): TemplateRoots => ({
  input: inputOf(state, step),
  execution: {
    executionId: state.executionId,
    definitionId: state.definitionId,
    correlationId: state.correlationId,
    triggerContext: state.triggerContext,
  },
  step: { stepId: step.stepId, nodeId: step.nodeId, iteration: step.iteration },
});

type Rendered = { ok: true; command: SendNotification } | { ok: false; code: string; message: string };

/** The message rendered into its command, or why it cannot be sent (too long, blocks that are not Block Kit JSON). */
export const renderNotification = (state: ExecutionState, step: StepState, spec: NotificationSpec): Rendered => {
  const roots = templateRoots(state, step);
  const body = renderTemplate(spec.bodyTemplate, roots, NOTIFICATION_NODE_LIMITS.renderedBodyMaxChars, 'body');
  if (!body.ok) return { ok: false, code: 'notification-render-too-large', message: `notification node ${step.nodeId}: ${body.message}` };
  let subject: string | null = null;
  if (spec.channel === 'email' && spec.subjectTemplate !== null) {
    const rendered = renderTemplate(spec.subjectTemplate, roots, NOTIFICATION_NODE_LIMITS.renderedSubjectMaxChars, 'subject');
    if (!rendered.ok)
      return { ok: false, code: 'notification-render-too-large', message: `notification node ${step.nodeId}: ${rendered.message}` };
    subject = rendered.text;
  }
  let blocks: unknown[] | null = null;
  if (spec.format === 'slack-blocks') {
    const parsed = parseSlackBlocks(body.text);
    if (!parsed.ok)
      return { ok: false, code: 'notification-invalid-blocks', message: `notification node ${step.nodeId}: ${parsed.message}` };
    blocks = parsed.blocks;
  }
  return {
    ok: true,
    command: {
      kind: 'sendNotification',
      stepId: step.stepId,
      nodeId: step.nodeId,
      executionId: state.executionId,
      channel: spec.channel,
      format: spec.format,
      recipients: [...spec.recipients],
      subject,
      slackTarget: spec.slackTarget,
      body: body.text,
      blocks,
    },
  };
};

/**
 * Starts a notification step (docs/notifications.md): it never waits, it runs until the send
 * activity reports. A message that cannot be rendered fails the step at once, before any send.
 */
export const startNotificationStep = (tx: Tx, step: StepState, spec: NotificationSpec): void => {
  step.notification = { channel: spec.channel, sendInFlight: false };
  const rendered = renderNotification(tx.state, step, spec);
  if (!rendered.ok) {
    step.slaDeadlineAt = null;
    const error = { code: rendered.code, message: rendered.message };
    finishStep(tx, step, {
      status: 'failed',
      error,
      data: { error, channel: spec.channel, reason: rendered.code, retryClass: 'terminal' },
    });
    return;
  }
  step.notification.sendInFlight = true;
  tx.command(rendered.command);
};
