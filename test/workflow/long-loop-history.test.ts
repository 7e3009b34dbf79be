import { describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { executionWorkflowId, getExecutionQuery, recordReviewerDecisionUpdate } from '../../src/contracts/execution-messages';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { fiveReviewerLoop, record } from '../fixtures/canonical-definitions';
import { CONTINUE_AS_NEW_SUGGESTED_AT } from '../support/global-setup';
import { uniqueTaskQueue } from '../support/unique';
import { createTestWorker, suiteWorkflowBundle, useDevServerConnections } from '../support/workers';

const connections = useDevServerConnections();

const waitingReviewers = (view: any, iteration: number): Array<{ stepId: string; nodeId: string }> =>
  view.steps.filter(
    (step: any) =>
      step.status === 'waiting' &&
      step.nodeType === 'human' &&
      (iteration === 1 ? !step.stepId.includes('__iter_') : step.stepId.endsWith(`__iter_${iteration}`)),
  );

describe('a 20-iteration loop around a 5-member group', () => {
  it('continues as new to keep each run short, and every run replays', async () => {
    const taskQueue = uniqueTaskQueue('long-loop');
    const worker = await createTestWorker(connections.worker(), taskQueue);
    const client = new Client({ connection: connections.client() });
    const store = new ExecutionClient(client, taskQueue);
    const outcome = await worker.runUntil(async () => {
      const { executionId } = await store.start({
        workspaceId: 'ws_long',
        definition: record(fiveReviewerLoop(20)),
        triggerContext: {},
        folderId: null,
        webhook: null,
      });
      const id = executionWorkflowId('ws_long', executionId);
      const handle = client.workflow.getHandle(id);
      for (let iteration = 1; iteration <= 20; iteration += 1) {
        let reviewers: Array<{ stepId: string; nodeId: string }> = [];
        for (let poll = 0; poll < 200 && reviewers.length < 5; poll += 1) {
          if (poll > 0) await new Promise((resolve) => setTimeout(resolve, 25));
          reviewers = waitingReviewers(await handle.query(getExecutionQuery), iteration);
        }
        expect(reviewers).toHaveLength(5);
        const decide = (step: { stepId: string; nodeId: string }, decision: 'approve' | 'reject') =>
          handle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId: step.stepId, reviewerId: `u-${step.nodeId}`, decision }] });
        if (iteration < 20) await decide(reviewers[0]!, 'reject');
        else for (const step of reviewers) await decide(step, 'approve');
      }
      await handle.result();
      return { id, final: (await handle.query(getExecutionQuery)) as any };
    });
    const { id: workflowId, final } = outcome;
    expect(final.status).toBe('completed');
    expect(final.steps.filter((step: any) => step.nodeId === 'publish')).toHaveLength(1);
    expect(final.steps.some((step: any) => step.stepId.endsWith('__iter_20'))).toBe(true);

    // Every run of the chain: bounded in length, and replayable on today's code.
    const runs: Array<{ runId: string; events: number }> = [];
    const started = Date.now();
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const history = await client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
      runs.push({ runId: execution.runId, events: history.events?.length ?? 0 });
      await Worker.runReplayHistory({ workflowBundle: suiteWorkflowBundle() }, history, workflowId);
    }
    console.log(`runs: ${runs.map((run) => run.events).join(', ')} events (${Date.now() - started} ms to replay)`);
    expect(runs.length).toBeGreaterThan(1);
    for (const run of runs) expect(run.events).toBeLessThan(CONTINUE_AS_NEW_SUGGESTED_AT * 2);
  });
});
