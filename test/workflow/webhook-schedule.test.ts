import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { executionWorkflowId, getExecutionQuery } from '../../src/contracts/execution-messages';
import { SecretBox } from '../../src/infra/secrets/secret-box';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { record, slowAgent } from '../fixtures/canonical-definitions';
import { TEST_SECRETS_KEY } from '../support/engine';
import { startReceiver, type TestReceiver } from '../support/receiver';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { uniqueTaskQueue } from '../support/unique';
import { createTestWorker, testActivities } from '../support/workers';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let receiver: TestReceiver;
let executions: ExecutionClient;
const SCHEDULE_MS = [2_000, 8_000, 32_000, 120_000, 480_000];

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  const taskQueue = uniqueTaskQueue('webhooks');
  worker = await createTestWorker(env.nativeConnection, taskQueue, testActivities({ secretsKey: TEST_SECRETS_KEY }));
  running = worker.run();
  executions = new ExecutionClient(env.client, taskQueue, { indexed: false });
  receiver = await startReceiver(() => 503);
});

afterAll(async () => {
  await receiver?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
});

describe('webhook retry schedule on the time-skipping server', () => {
  it('retries each event at exactly 2 s, 8 s, 32 s, 2 min and 8 min, then dead-letters it, after the run ended', async () => {
    const { executionId } = await executions.start({
      workspaceId: 'ws_hooks',
      definition: record(slowAgent(0)),
      triggerContext: {},
      folderId: null,
      webhook: { url: receiver.url, sealedSecret: new SecretBox(TEST_SECRETS_KEY).seal('whsec_test_secret_0123456789') },
    });
    const handle = env.client.workflow.getHandle(executionWorkflowId('ws_hooks', executionId));
    await handle.result();
    const view: any = await handle.query(getExecutionQuery);
    expect(view.status).toBe('completed');
    const letters: any[] = view.webhookDeadLetters;
    expect(letters.map((letter) => letter.type).sort()).toEqual(['execution.completed', 'execution.dispatched', 'step.completed']);
    for (const letter of letters) {
      expect(letter.reason).toBe('http-status');
      const attempts: Array<{ attempt: number; startedAt: number; finishedAt: number }> = letter.attempts;
      expect(attempts.map((attempt) => attempt.attempt)).toEqual([0, 1, 2, 3, 4, 5]);
      // Workflow time from each failure to the next attempt: the delay plus task latency (milliseconds).
      const waits = attempts.slice(1).map((attempt, i) => attempt.startedAt - attempts[i]!.finishedAt);
      waits.forEach((wait, i) => {
        expect(wait).toBeGreaterThanOrEqual(SCHEDULE_MS[i]!);
        expect(wait).toBeLessThan(SCHEDULE_MS[i]! + 1_000);
      });
    }
    // Every attempt of an event carried the same event id and its 0-based attempt number.
    const byEvent = new Map<string, string[]>();
    for (const { headers } of receiver.received) {
      const id = String(headers['x-velt-event-id']);
      byEvent.set(id, [...(byEvent.get(id) ?? []), String(headers['x-velt-attempt'])]);
    }
    expect(byEvent.size).toBe(3);
    for (const attempts of byEvent.values()) expect(attempts).toEqual(['0', '1', '2', '3', '4', '5']);
    // The exact schedule is what the workflow asked the server for: one durable timer per retry.
    const history = await handle.fetchHistory();
    const timers = (history.events ?? [])
      .map((event) => event.timerStartedEventAttributes?.startToFireTimeout?.seconds)
      .filter((seconds) => seconds !== undefined && seconds !== null)
      .map((seconds) => Number(seconds) * 1000)
      .sort((a, b) => a - b);
    expect(timers).toEqual(SCHEDULE_MS.flatMap((delay) => [delay, delay, delay]));
    // The secret itself appears nowhere in the workflow's history.
    expect(JSON.stringify(history)).not.toContain('whsec_test_secret_0123456789');
  });
});
