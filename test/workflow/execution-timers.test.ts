import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { toEngineError } from '../../api/error-mapper';
import { executionWorkflowId, getExecutionQuery, recordReviewerDecisionUpdate } from '../../src/contracts/execution-messages';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { record, slaReview, slowAgent } from '../fixtures/canonical-definitions';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { uniqueTaskQueue } from '../support/unique';
import { createTestWorker } from '../support/workers';

const WORKSPACE = 'ws_timers';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let executions: ExecutionClient;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  const taskQueue = uniqueTaskQueue('timers');
  worker = await createTestWorker(env.nativeConnection, taskQueue);
  running = worker.run();
  // The Java test server cannot register custom search attributes.
  executions = new ExecutionClient(env.client, taskQueue, { indexed: false });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const dispatch = (content: Parameters<typeof record>[0]) =>
  executions.start({ workspaceId: WORKSPACE, definition: record(content), triggerContext: {}, folderId: null, webhook: null });

const view = (executionId: string) => executions.get(WORKSPACE, executionId) as Promise<any>;
const stepOf = (execution: any, nodeId: string) => execution.steps.find((step: any) => step.nodeId === nodeId);

describe('SLA timers on the time-skipping server', () => {
  it('breaches a human step after slaMs, routes the breach edge, and refuses a later decision', async () => {
    const { executionId } = await dispatch(slaReview(60 * 60 * 1000));
    expect(stepOf(await view(executionId), 'review').status).toBe('waiting');

    await env.sleep('61 minutes');
    const handle = env.client.workflow.getHandle(executionWorkflowId(WORKSPACE, executionId));
    await handle.result();
    const after = await handle.query(getExecutionQuery);
    const review = stepOf(after, 'review');
    expect(review.status).toBe('breached');
    expect(stepOf(after, 'escalate').status).toBe('completed');
    expect(stepOf(after, 'publish')).toBeUndefined();
    expect(after.status).toBe('completed');

    const late = executions.stepUpdate(WORKSPACE, executionId, recordReviewerDecisionUpdate, {
      stepId: review.stepId,
      reviewerId: 'u1',
      decision: 'approve',
    });
    await expect(late).rejects.toMatchObject({ status: 'FAILED_PRECONDITION' });
  });

  it('lets exactly one of a decision and a breach at the deadline win, consistently', async () => {
    for (const offsetMs of [-1, 0, 1]) {
      const slaMs = 10 * 60 * 1000;
      const { executionId } = await dispatch(slaReview(slaMs));
      const reviewId = stepOf(await view(executionId), 'review').stepId;
      await env.sleep(slaMs + offsetMs);
      const decision = await executions
        .stepUpdate(WORKSPACE, executionId, recordReviewerDecisionUpdate, { stepId: reviewId, reviewerId: 'u1', decision: 'approve' })
        .then(
          (result) => ({ won: true as const, result }),
          (error: unknown) => ({ won: false as const, error }),
        );
      const final = await view(executionId);
      const review = stepOf(final, 'review');
      if (decision.won) {
        expect(decision.result).toMatchObject({ recorded: true, aggregatorStatus: 'resolved', resumeScheduled: true });
        expect(review.status).toBe('completed');
        expect(stepOf(final, 'escalate')).toBeUndefined();
      } else {
        expect(toEngineError(decision.error)).toMatchObject({ status: 'FAILED_PRECONDITION' });
        expect(toEngineError(decision.error).message).toMatch(/breached/);
        expect(review.status).toBe('breached');
        expect(stepOf(final, 'publish')).toBeUndefined();
      }
    }
  });
});

describe('agent runtime ceiling', () => {
  // The Java test server does not advance its clock while an activity task is outstanding, so it
  // cannot run the 30 minutes out here; test/workflow/agent-ceiling.test.ts proves on the dev
  // server that the ceiling ends the step with agent-timeout.
  it('schedules every agent run under one 30-minute server-side deadline by default', async () => {
    const taskQueue = uniqueTaskQueue('no-agents');
    const workflowsOnly = await createTestWorker(env.nativeConnection, taskQueue, {});
    const store = new ExecutionClient(env.client, taskQueue, { indexed: false });
    const { executionId } = await store.start({
      workspaceId: WORKSPACE,
      definition: record(slowAgent(0)),
      triggerContext: {},
      folderId: null,
      webhook: null,
    });
    const handle = env.client.workflow.getHandle(executionWorkflowId(WORKSPACE, executionId));
    const scheduled = await workflowsOnly.runUntil(async () => {
      for (;;) {
        const history = await handle.fetchHistory();
        const event = history.events?.find((candidate) => candidate.activityTaskScheduledEventAttributes);
        if (event) return event.activityTaskScheduledEventAttributes!;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    expect(scheduled.activityType?.name).toBe('runAgent');
    expect(Number(scheduled.scheduleToCloseTimeout?.seconds)).toBe(30 * 60);
    expect(scheduled.retryPolicy?.maximumAttempts).toBe(5);
    expect(Number(scheduled.retryPolicy?.initialInterval?.seconds)).toBe(1);
    expect(scheduled.retryPolicy?.backoffCoefficient).toBe(2);
    await handle.terminate('test done');
  });
});
