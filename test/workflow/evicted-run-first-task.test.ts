import { describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { executionWorkflowId, recordReviewerDecisionUpdate } from '../../src/contracts/execution-messages';
import type { ExecutionView } from '../../src/core/interpreter';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { canonical, record } from '../fixtures/canonical-definitions';
import { uniqueTaskQueue } from '../support/unique';
import { suiteWorkflowBundle, testActivities, useDevServerConnections } from '../support/workers';

const WORKSPACE = 'ws_evicted';

/** A human root step that two reviewers must approve: the run's first task has nothing to command. */
const twoReviewers = record(
  canonical({
    definitionId: 'two-reviewers',
    name: 'Two reviewers',
    nodes: [
      {
        nodeId: 'review',
        type: 'human',
        config: {
          reviewers: [
            { userId: 'u1', mandatory: true },
            { userId: 'u2', mandatory: true },
          ],
          onReject: { routeToNodeId: 'rework' },
        },
      },
      { nodeId: 'rework', type: 'agent', config: { agentId: '__mock__' } },
    ],
    edges: [],
  }),
);

const reviewStep = (view: ExecutionView) => view.steps.find((step) => step.nodeId === 'review')!;

/**
 * docs/behaviour.md, "Replays and evicted runs": a run without workspace limits whose first task
 * recorded no command, evicted from the worker's cache, then decided on. Before its first task
 * recorded a marker, the SDK's core replayed that task together with the decision's task, at the
 * decision's time, so the root step's id changed and the decision was refused NOT_FOUND.
 */
describe('a decision on a run the worker no longer caches (real dev server)', () => {
  const connections = useDevServerConnections();

  it('finds the step id and timestamps the run gave out before, and its history replays', async () => {
    const client = new Client({ connection: connections.client() });
    const taskQueue = uniqueTaskQueue('evicted-run');
    const executions = new ExecutionClient(client, taskQueue, { indexed: false });
    const worker = await Worker.create({
      connection: connections.worker(),
      taskQueue,
      workflowBundle: suiteWorkflowBundle(),
      activities: testActivities(),
      maxCachedWorkflows: 2,
    });
    const dispatch = () =>
      executions.start({ workspaceId: WORKSPACE, definition: twoReviewers, triggerContext: {}, folderId: null, webhook: null });
    const { first, before, after, reply } = await worker.runUntil(async () => {
      const first = await dispatch();
      const before = await executions.get(WORKSPACE, first.executionId);
      // Three more runs, each read once, push the first out of the two-run cache.
      for (let index = 0; index < 3; index += 1) await executions.get(WORKSPACE, (await dispatch()).executionId);
      const reply = await executions.stepUpdate(WORKSPACE, first.executionId, recordReviewerDecisionUpdate, {
        stepId: reviewStep(before).stepId,
        reviewerId: 'u1',
        decision: 'approve',
      });
      const after = await executions.get(WORKSPACE, first.executionId);
      return { first, before, after, reply };
    });

    expect(reply).toMatchObject({ recorded: true, aggregatorStatus: 'pending' });
    expect(reviewStep(after).stepId).toBe(reviewStep(before).stepId);
    expect(reviewStep(after).startedAt).toBe(reviewStep(before).startedAt);
    expect(after.startedAt).toBe(before.startedAt);

    const handle = client.workflow.getHandle(executionWorkflowId(WORKSPACE, first.executionId));
    const history = await handle.fetchHistory();
    expect(history.events?.some((event) => event.markerRecordedEventAttributes)).toBe(true);
    await Worker.runReplayHistory({ workflowBundle: suiteWorkflowBundle() }, history, executionWorkflowId(WORKSPACE, first.executionId));
  });
});
