import { describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { executionWorkflowId, getExecutionQuery } from '../../src/contracts/execution-messages';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { cappedAgent, record } from '../fixtures/canonical-definitions';
import { uniqueTaskQueue } from '../support/unique';
import { createTestWorker, useDevServerConnections } from '../support/workers';

const connections = useDevServerConnections();

describe('agentMaxRuntimeMs on the real dev server', () => {
  it('cancels an agent still running at its ceiling and fails the step with agent-timeout', async () => {
    const taskQueue = uniqueTaskQueue('ceiling');
    const worker = await createTestWorker(connections.worker(), taskQueue);
    const client = new Client({ connection: connections.client() });
    const store = new ExecutionClient(client, taskQueue);
    const view: any = await worker.runUntil(async () => {
      const { executionId } = await store.start({
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
