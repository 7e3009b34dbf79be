import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { executionWorkflowId } from '../../src/contracts/dispatch-claim';
import { getExecutionQuery } from '../../src/contracts/execution-messages';
import { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { ExecutionStore } from '../../src/infra/temporal/execution-store';
import { cappedAgent, record } from '../fixtures/canonical-definitions';
import { uniqueTaskQueue } from '../support/unique';

let connection: Connection;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => {
  await nativeConnection?.close();
  await connection?.close();
});

describe('agentMaxRuntimeMs on the real dev server', () => {
  it('cancels an agent still running at its ceiling and fails the step with agent-timeout', async () => {
    const taskQueue = uniqueTaskQueue('ceiling');
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { code: readFileSync(inject('workflowBundlePath'), 'utf8') },
      activities: createActivities({ registry: new WorkspaceRegistry([]), allowPrivateWebhookTargets: true }),
    });
    const client = new Client({ connection });
    const store = new ExecutionStore(client, taskQueue);
    const view: any = await worker.runUntil(async () => {
      const { executionId } = await store.dispatch({
        workspaceId: 'ws_ceiling',
        definition: record(cappedAgent(1_500, 60_000)),
        triggerContext: {},
        folderId: null,
        webhook: null,
      });
      const handle = client.workflow.getHandle(executionWorkflowId('ws_ceiling', executionId));
      await handle.result();
      return handle.query(getExecutionQuery);
    });
    const draft = view.steps.find((step: any) => step.nodeId === 'draft');
    expect(draft.status).toBe('failed');
    expect(draft.error.code).toBe('agent-timeout');
    expect(view.status).toBe('failed');
    expect(view.failureReason.code).toBe('step-failed');
  });
});
