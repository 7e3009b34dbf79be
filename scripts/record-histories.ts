/**
 * Records workflow histories for the replay tests (test/replay/histories). Run it when a workflow
 * gains a new path worth pinning: `npx tsx scripts/record-histories.ts`. It starts its own dev
 * server and worker; nothing else needs to run. A history already recorded is never overwritten
 * (its scenario is skipped): the point of a recording is the code it was recorded on.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { deleteDefinitionUpdate } from '../src/contracts/definition-messages';
import type { ScheduledRunInput, ScheduledRunResult } from '../src/contracts/scheduled-run';
import { validateDefinition, type CanonicalDefinition } from '../src/core/definition';
import { DefinitionClient } from '../src/infra/temporal/definition-client';
import { ExecutionClient } from '../src/infra/temporal/execution-client';
import {
  cancelExecutionUpdate,
  executionWorkflowId,
  getEventsQuery,
  getExecutionQuery,
  recordReviewerDecisionUpdate,
} from '../src/contracts/execution-messages';
import type { ExecutionView } from '../src/core/interpreter';
import { canonical, record } from '../test/fixtures/canonical-definitions';
import { startReceiver } from '../test/support/receiver';
import { PROJECT_ROOT } from '../src/infra/tools';
import { activityTaskQueues } from '../src/infra/workspace-limits-config';
import { limiterStateQuery, workspaceLimiterWorkflowId } from '../src/contracts/workspace-limits';
import { createRecordingWorkers, recordingActivities, showHistory, startRecordingServer } from './shared/recording-server';
import { reviewDefinition } from './shared/review-definition';

const outDir = path.join(PROJECT_ROOT, 'test/replay/histories');
const taskQueue = 'record-histories';

/** A g3 definition (docs/behaviour.md, "G3 runtime") in the seed's syntax: an agent and two humans, quorum 2 of 3, joined. */
const g3AgentPanel = (definitionId: string): CanonicalDefinition => {
  const approve = JSON.stringify({ op: 'eq', args: [{ var: 'output.decision' }, 'approve'] });
  const reject = JSON.stringify({ op: 'eq', args: [{ var: 'output.decision' }, 'reject'] });
  const reviewer = (nodeId: string, userId: string) => ({
    nodeId,
    type: 'human',
    config: { reviewers: [{ userId, mandatory: true }], onReject: { routeToNodeId: 'rework' } },
  });
  const result = validateDefinition({
    definitionId,
    name: 'G3 agent in quorum',
    nodes: [
      { nodeId: 'check', type: 'agent', config: { agentId: '__mock__', inputMapping: { mock: { delayMs: 1500 } } } },
      reviewer('legal', 'u_legal'),
      reviewer('brand', 'u_brand'),
      { nodeId: 'publish', type: 'agent', config: { agentId: '__mock__' } },
      { nodeId: 'rework', type: 'agent', config: { agentId: '__mock__' } },
    ],
    edges: [
      { from: 'check', to: 'publish', when: approve },
      { from: 'check', to: 'rework', when: reject },
      { from: 'legal', to: 'publish', when: approve },
      { from: 'brand', to: 'publish', when: approve },
    ],
    groups: [{ groupId: 'review', memberNodeIds: ['check', 'legal', 'brand'], expectedSteps: 3, quorum: 2, onQuorumMet: 'joinOnQuorum' }],
  });
  if (!result.ok) throw result.error;
  return { ...result.definition, generation: 'g3' };
};

const recorded = (name: string): boolean => existsSync(path.join(outDir, `${name}.json`));

/** The G3 marketing-copy workflow of Velt's setup page: a joinOnQuorum group with a group reject back-edge. */
const g3GroupLoop = (): CanonicalDefinition => {
  const agent = (nodeId: string) => ({ nodeId, type: 'agent', config: { agentId: '__mock__', urlPath: 'documentUrl' } });
  const human = (nodeId: string, userId: string) => ({ nodeId, type: 'human', config: { reviewers: [{ userId, mandatory: true }] } });
  const result = validateDefinition({
    definitionId: 'marketing-copy-approval',
    name: 'Marketing copy approval',
    nodes: [agent('agent-draft'), human('human-legal', 'u_legal'), human('human-brand', 'u_brand'), agent('agent-publish')],
    edges: [
      { from: 'agent-draft', to: { kind: 'group', groupId: 'parallel-review' } },
      { from: { kind: 'group', groupId: 'parallel-review' }, to: 'agent-publish', on: 'approve' },
      { from: { kind: 'group', groupId: 'parallel-review' }, to: 'agent-draft', on: 'reject', loop: { maxIterations: 3 } },
    ],
    groups: [
      {
        groupId: 'parallel-review',
        memberNodeIds: ['human-legal', 'human-brand'],
        expectedSteps: 2,
        quorum: 2,
        onQuorumMet: 'joinOnQuorum',
      },
    ],
  });
  if (!result.ok) throw result.error;
  return result.definition;
};

const server = await startRecordingServer();
const { env } = server;

const save = (workflowId: string, name: string): void => {
  const file = path.join(outDir, `${name}.json`);
  if (existsSync(file)) {
    console.log(`kept ${name} (already recorded)`);
    return;
  }
  const { json, events } = showHistory(server, workflowId);
  writeFileSync(file, json);
  console.log(`recorded ${name} (${events} events)`);
};

try {
  const worker = await createRecordingWorkers(server, taskQueue);
  await worker.runUntil(async () => {
    const definitions = new DefinitionClient(env.client, taskQueue);
    const workspace = 'ws_record';
    const executions = new ExecutionClient(env.client, taskQueue);

    // G3: a g3 agent counts toward its group's quorum (a human approves first, the agent's pass tips it).
    if (!recorded('g3-execution-agent-in-quorum')) {
      const { executionId } = await executions.start({
        workspaceId: workspace,
        definition: record(g3AgentPanel('g3-agent-panel')),
        triggerContext: {},
        folderId: null,
        webhook: null,
      });
      const handle = env.client.workflow.getHandle(executionWorkflowId(workspace, executionId));
      const started = await handle.query(getExecutionQuery);
      const legal = started.steps.find((step) => step.nodeId === 'legal')!.stepId;
      await handle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId: legal, reviewerId: 'u_legal', decision: 'approve' }] });
      await handle.result();
      const done = await handle.query(getExecutionQuery);
      const check = done.steps.find((step) => step.nodeId === 'check')!.stepId;
      const tipped = (await handle.query(getEventsQuery, { sinceSeq: 0, pageSize: 100 })).events.find(
        (event) => event.type === 'group.quorum-met',
      );
      if (done.status !== 'completed' || tipped?.stepId !== check) throw new Error(`unexpected g3 quorum run: ${JSON.stringify(done)}`);
      save(executionWorkflowId(workspace, executionId), 'g3-execution-agent-in-quorum');
    }

    // Workspace limits (docs/behaviour.md, "Workspace limits"): a run admitted by its workspace's
    // limiter, whose agent waits for a slot and runs on the agents' queue; and that limiter.
    if (!recorded('15352b5-execution-limited') || !recorded('15352b5-workspace-limiter')) {
      const queues = activityTaskQueues(taskQueue);
      const agentWorker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: queues.agents,
        activities: recordingActivities(),
      });
      await agentWorker.runUntil(async () => {
        const limitedWorkspace = 'ws_limits';
        const limited = new ExecutionClient(env.client, taskQueue, {
          indexed: true,
          tenancy: { limits: { maxRunningExecutions: 10, maxRunningAgents: 1 }, activityQueues: queues },
        });
        const drafted = validateDefinition({
          definitionId: 'limited',
          name: 'Limited',
          nodes: [
            { nodeId: 'draft', type: 'agent', config: { agentId: '__mock__' } },
            {
              nodeId: 'review',
              type: 'human',
              config: { reviewers: [{ userId: 'u1', mandatory: true }], onReject: { routeToNodeId: 'rework' } },
            },
            { nodeId: 'rework', type: 'agent', config: { agentId: '__mock__' } },
          ],
          edges: [{ from: 'draft', to: 'review' }],
        });
        if (!drafted.ok) throw drafted.error;
        const { executionId } = await limited.start({
          workspaceId: limitedWorkspace,
          definition: record(drafted.definition),
          triggerContext: {},
          folderId: null,
          webhook: null,
        });
        const handle = env.client.workflow.getHandle(executionWorkflowId(limitedWorkspace, executionId));
        let review: string | undefined;
        for (let tries = 0; tries < 300 && !review; tries += 1) {
          const view = await handle.query(getExecutionQuery);
          review = view.steps.find((step) => step.nodeId === 'review' && step.status === 'waiting')?.stepId;
          if (!review) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (!review) throw new Error('the limited run never reached its review');
        await handle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId: review, reviewerId: 'u1', decision: 'approve' }] });
        await handle.result();
        const limiter = env.client.workflow.getHandle(workspaceLimiterWorkflowId(limitedWorkspace));
        for (let tries = 0; tries < 300; tries += 1) {
          const state = await limiter.query(limiterStateQuery);
          if (Object.keys(state.running).length === 0 && state.granted.length === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        save(executionWorkflowId(limitedWorkspace, executionId), '15352b5-execution-limited');
        save(workspaceLimiterWorkflowId(limitedWorkspace), '15352b5-workspace-limiter');
      });
    }

    // A schedule trigger's firing (docs/inbound.md, "Schedules"): it checks its trigger, starts the run and waits for its end.
    if (!recorded('6c8868c-scheduled-run')) {
      const scheduled = validateDefinition({
        definitionId: 'nightly-audit',
        name: 'Nightly audit',
        nodes: [{ nodeId: 'scan', type: 'agent', config: { agentId: '__mock__', urlPath: 'schedule.payload.url' } }],
        edges: [],
        triggers: [{ triggerId: 'nightly', schedule: { cron: '0 2 * * *', timezone: 'UTC', enabled: true } }],
      });
      if (!scheduled.ok) throw scheduled.error;
      const stored = await definitions.create(workspace, scheduled.definition);
      const input: ScheduledRunInput = {
        workspaceId: workspace,
        triggerId: 'nightly',
        definition: stored,
        payload: { url: 'https://example.com/audit' },
        indexed: true,
      };
      const workflowId = `approval-sched-run/${workspace}/nightly-audit/nightly-recorded`;
      const result: ScheduledRunResult = await env.client.workflow.execute<(input: ScheduledRunInput) => Promise<ScheduledRunResult>>(
        'scheduledRunWorkflow',
        { workflowId, taskQueue, args: [input] },
      );
      if (!result.executionId) throw new Error('the recorded firing started no run');
      save(workflowId, '6c8868c-scheduled-run');
    }

    // Webhook nodes and notifications (docs/inbound.md, "Webhook nodes"; docs/notifications.md): a
    // call and a Slack post that succeed, a call and a post that fail terminally (failure edges
    // route on), and a call still in flight when the run is cancelled.
    if (
      !recorded('90cbd79-execution-webhook-node-notification') ||
      !recorded('90cbd79-execution-webhook-node-notification-failed') ||
      !recorded('90cbd79-execution-cancel-webhook-call')
    ) {
      const answers = await startReceiver((request) => (request.path.startsWith('/fail') ? { status: 422, body: { error: 'no' } } : 200));
      let stalledCalls = 0;
      // Never answers: the call stays in flight until the run is cancelled.
      const stalled = createServer(() => {
        stalledCalls += 1;
      });
      await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
      const stalledUrl = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/stalled`;
      try {
        const failedStep = JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'failed'] });
        /** Starts a run of `definition` (a definition's input, made canonical) and returns its workflow id. */
        const startRun = async (definition: unknown): Promise<string> => {
          const { executionId } = await executions.start({
            workspaceId: workspace,
            definition: record(canonical(definition)),
            triggerContext: {},
            folderId: null,
            webhook: null,
          });
          return executionWorkflowId(workspace, executionId);
        };
        const nodesRun = async (name: string, prefix: string): Promise<void> => {
          const workflowId = await startRun({
            definitionId: name,
            name,
            nodes: [
              { nodeId: 'call', type: 'webhook', config: { url: `${answers.url}${prefix}call`, authMode: 'none' } },
              {
                nodeId: 'notify',
                type: 'notification',
                config: { channel: 'slack', slackTarget: `${answers.url}${prefix}post`, bodyTemplate: 'hi' },
              },
              { nodeId: 'fallback', type: 'agent', config: { agentId: '__mock__' } },
            ],
            edges: [
              { from: 'call', to: 'notify' },
              { from: 'call', to: 'notify', when: failedStep },
              { from: 'notify', to: 'fallback', when: failedStep },
            ],
          });
          const handle = env.client.workflow.getHandle(workflowId);
          await handle.result();
          const view = await handle.query(getExecutionQuery);
          const statuses = view.steps.map((step) => `${step.nodeId}:${step.status}`).join(',');
          console.log(`${name}: ${view.status} (${statuses})`);
          save(workflowId, name);
        };
        if (!recorded('90cbd79-execution-webhook-node-notification')) await nodesRun('90cbd79-execution-webhook-node-notification', '');
        if (!recorded('90cbd79-execution-webhook-node-notification-failed'))
          await nodesRun('90cbd79-execution-webhook-node-notification-failed', 'fail-');
        if (!recorded('90cbd79-execution-cancel-webhook-call')) {
          const workflowId = await startRun({
            definitionId: 'cancel-webhook-call',
            name: 'Cancel webhook call',
            nodes: [{ nodeId: 'call', type: 'webhook', config: { url: stalledUrl, authMode: 'none', timeoutMs: 60_000 } }],
            edges: [],
          });
          for (let tries = 0; tries < 300 && stalledCalls === 0; tries += 1) await new Promise((resolve) => setTimeout(resolve, 100));
          if (stalledCalls === 0) throw new Error('the webhook call never arrived');
          const handle = env.client.workflow.getHandle(workflowId);
          await handle.executeUpdate(cancelExecutionUpdate, { args: [{ reason: 'recorded' }] });
          await handle.result();
          save(workflowId, '90cbd79-execution-cancel-webhook-call');
        }
      } finally {
        stalled.closeAllConnections();
        await new Promise((resolve) => stalled.close(resolve));
        await answers.close();
      }
    }

    // A run without workspace limits: its first task records the first-task marker
    // (docs/behaviour.md, "Replays and evicted runs"), then a decision completes it.
    if (!recorded('99926b1-execution-first-task-marker')) {
      const { executionId } = await executions.start({
        workspaceId: workspace,
        definition: record(reviewDefinition('first-task', 'first task')),
        triggerContext: {},
        folderId: null,
        webhook: null,
      });
      const handle = env.client.workflow.getHandle(executionWorkflowId(workspace, executionId));
      const stepId = ((await handle.query(getExecutionQuery)).steps as Array<{ stepId: string }>)[0]!.stepId;
      await handle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId, reviewerId: 'u1', decision: 'approve' }] });
      await handle.result();
      save(executionWorkflowId(workspace, executionId), '99926b1-execution-first-task-marker');
    }

    if (recorded('definition-lifecycle') && recorded('execution-walkthrough-approve') && recorded('execution-cancelled')) return;
    await definitions.create(workspace, reviewDefinition('lifecycle', 'v1'));
    await definitions.update(workspace, 'lifecycle', { ifVersion: 1, content: reviewDefinition('lifecycle', 'v2') });
    await definitions
      .update(workspace, 'lifecycle', { ifVersion: 1, content: reviewDefinition('lifecycle', 'stale') })
      .catch(() => undefined);
    await definitions.delete(workspace, 'lifecycle', {});
    await definitions.create(workspace, reviewDefinition('lifecycle', 'recreated'));
    save(`approval-def/${workspace}/lifecycle`, 'definition-lifecycle');

    // Executions: the seed walkthrough decided both ways, and a cancelled run.
    const walkthrough = record(reviewDefinition('walkthrough', 'walkthrough'));
    for (const decision of ['approve', 'reject'] as const) {
      const { executionId } = await executions.start({
        workspaceId: workspace,
        definition: walkthrough,
        triggerContext: { postId: 7 },
        folderId: null,
        webhook: null,
        idempotencyKey: `record-${decision}`,
      });
      const handle = env.client.workflow.getHandle(executionWorkflowId(workspace, executionId));
      const view = await handle.query(getExecutionQuery);
      const stepId = (view.steps as Array<{ stepId: string }>)[0]!.stepId;
      await handle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId, reviewerId: 'u1', decision }] });
      await handle.result();
      save(executionWorkflowId(workspace, executionId), `execution-walkthrough-${decision}`);
    }
    const { executionId } = await executions.start({
      workspaceId: workspace,
      definition: walkthrough,
      triggerContext: {},
      folderId: null,
      webhook: null,
    });
    const handle = env.client.workflow.getHandle(executionWorkflowId(workspace, executionId));
    await handle.executeUpdate(cancelExecutionUpdate, { args: [{ reason: 'recorded' }] });
    await handle.result();
    save(executionWorkflowId(workspace, executionId), 'execution-cancelled');

    // G3: a definition purged (its workflow ends), and a group loop: a rejection rewinds the
    // stage, both reviewers approve the second draft, the group's approve branch publishes once.
    await definitions.create(workspace, g3GroupLoop());
    await definitions.update(workspace, 'marketing-copy-approval', { ifVersion: 1, content: { ...g3GroupLoop(), name: 'v2' } });
    // The workflow's side of a purge (the API then deletes the runs, which would take the history with them).
    const purged = env.client.workflow.getHandle(`approval-def/${workspace}/marketing-copy-approval`);
    await purged.executeUpdate(deleteDefinitionUpdate, { args: [{ purge: true }] });
    await purged.result();
    save(`approval-def/${workspace}/marketing-copy-approval`, 'g3-definition-purged');

    const loop = await executions.start({
      workspaceId: workspace,
      definition: record(g3GroupLoop()),
      triggerContext: { documentUrl: 'https://acme.example/copy/1' },
      folderId: null,
      webhook: null,
    });
    const loopHandle = env.client.workflow.getHandle(executionWorkflowId(workspace, loop.executionId));
    const waitingStep = async (nodeId: string, round: number): Promise<string> => {
      for (let tries = 0; tries < 200; tries += 1) {
        const view = (await loopHandle.query(getExecutionQuery)) as ExecutionView;
        const steps = view.steps.filter((step) => step.nodeId === nodeId);
        const open = steps[round - 1];
        if (open?.status === 'waiting') return open.stepId;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no waiting ${nodeId} step in round ${round}`);
    };
    const decideOn = async (stepId: string, reviewerId: string, decision: 'approve' | 'reject') =>
      loopHandle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId, reviewerId, decision }] });
    await waitingStep('human-brand', 1);
    await decideOn(await waitingStep('human-legal', 1), 'u_legal', 'reject');
    await decideOn(await waitingStep('human-legal', 2), 'u_legal', 'approve');
    await decideOn(await waitingStep('human-brand', 2), 'u_brand', 'approve');
    await loopHandle.result();
    save(executionWorkflowId(workspace, loop.executionId), 'g3-execution-group-loop');
  });
} finally {
  await env.teardown();
}
