import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { executionWorkflowId, getEventsQuery, getExecutionQuery } from '../../src/contracts/execution-messages';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { canonical, record } from '../fixtures/canonical-definitions';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { uniqueTaskQueue } from '../support/unique';
import { createTestWorker, testActivities } from '../support/workers';

/*
 * A notification's retry schedule on the time-skipping server (docs/notifications.md, "Delivery and
 * retries"): a real SMTP server that refuses every recipient gets five attempts, then the step fails
 * as retryable and its failure edge routes it.
 */

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let mail: SmtpReceiver;
let executions: ExecutionClient;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  mail = await startSmtpReceiver({ refuseRecipients: '*' });
  const taskQueue = uniqueTaskQueue('notifications');
  worker = await createTestWorker(env.nativeConnection, taskQueue, testActivities({ notifications: { smtpUrl: mail.url } }));
  running = worker.run();
  executions = new ExecutionClient(env.client, taskQueue, { indexed: false });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await mail?.close();
  await env?.teardown();
});

describe('notification retries on the time-skipping server', () => {
  it('an SMTP server that delivers to no recipient gets five attempts, then the step fails (retryable) and its failure edge runs', async () => {
    const definition = canonical({
      definitionId: 'notify-retries',
      name: 'notify-retries',
      nodes: [
        { nodeId: 'notify', type: 'notification', config: { channel: 'email', recipients: ['lead@acme.dev'], bodyTemplate: 'hello' } },
        { nodeId: 'fallback', type: 'agent', config: { agentId: '__mock__' } },
      ],
      edges: [{ from: 'notify', to: 'fallback', when: JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'failed'] }) }],
    });
    const { executionId } = await executions.start({
      workspaceId: 'ws_notify',
      definition: record(definition),
      triggerContext: {},
      folderId: null,
      webhook: null,
    });
    const handle = env.client.workflow.getHandle(executionWorkflowId('ws_notify', executionId));
    await handle.result();
    const view: any = await handle.query(getExecutionQuery);
    const notify = view.steps.find((step: any) => step.nodeId === 'notify');
    expect(notify).toMatchObject({ status: 'failed', error: { code: 'notification-email-undelivered' } });
    expect(view.steps.find((step: any) => step.nodeId === 'fallback')?.status).toBe('completed');
    expect(view.status).toBe('completed');
    expect(mail.refused).toEqual(Array(5).fill('lead@acme.dev'));
    expect(mail.received).toHaveLength(0);
    const page: any = await handle.query(getEventsQuery, { sinceSeq: 0, pageSize: 100 });
    const failed = page.events.find((event: any) => event.type === 'step.failed');
    expect(failed.data).toMatchObject({ channel: 'email', retryClass: 'retryable' });
  });
});
