import { expect, it } from 'vitest';
import { definitionCatalogWorkflowId } from '../../src/contracts/definition-catalog';
import { definitionWorkflowId } from '../../src/contracts/definition-messages';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { workspaceLimiterWorkflowId } from '../../src/contracts/workspace-limits';
import { controlTaskQueue } from '../../src/infra/control-task-queue';
import { DefinitionClient } from '../../src/infra/temporal/definition-client';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { activityTaskQueues } from '../../src/infra/workspace-limits-config';
import { canonical } from '../fixtures/canonical-definitions';
import { walkthroughDefinition } from '../fixtures/definitions';
import { DEFAULT_TEST_LIMITS, useEngine } from '../support/engine';
import { createAndDispatch, decide, dispatch, freshId, ok, waitForStatus, waitForStep } from '../support/rest-api';

/*
 * Definitions, their catalog and the workspace limiters run on the control queue, the runs on the
 * engine's queue (docs/operations.md, "Task queues"). Those started on the engine's queue by an
 * earlier version stay there and keep answering.
 */

const engine = useEngine();
const { admin } = engine;

const queueOf = async (workflowId: string): Promise<string> => (await engine.client.workflow.getHandle(workflowId).describe()).taskQueue;

it('starts definitions, their catalog and the workspace limiter on the control queue, and runs on the engine queue', async () => {
  const workspaceId = engine.workspaceIdA;
  const definitionId = freshId('control');
  const executionId = await createAndDispatch(admin, walkthroughDefinition(definitionId));
  const control = controlTaskQueue(engine.taskQueue);
  expect({
    definition: await queueOf(definitionWorkflowId(workspaceId, definitionId)),
    catalog: await queueOf(definitionCatalogWorkflowId(workspaceId)),
    limiter: await queueOf(workspaceLimiterWorkflowId(workspaceId)),
    execution: await queueOf(executionWorkflowId(workspaceId, executionId)),
  }).toEqual({ definition: control, catalog: control, limiter: control, execution: engine.taskQueue });
});

it('keeps serving a limiter and a definition that an earlier version started on the engine queue', async () => {
  const workspaceId = engine.workspaceIdA;
  const limiterId = workspaceLimiterWorkflowId(workspaceId);
  await engine.client.workflow.getHandle(limiterId).terminate('test: replaced by a limiter on the engine queue');
  // What the API did before the control queue: limiters and definitions started on the engine's queue.
  const earlierExecutions = new ExecutionClient(engine.client, engine.taskQueue, {
    indexed: true,
    tenancy: { limits: DEFAULT_TEST_LIMITS, activityQueues: activityTaskQueues(engine.taskQueue) },
  });
  await earlierExecutions.admit(workspaceId, 'exec_1777374504255_earlier1');
  const definitionId = freshId('earlier');
  await new DefinitionClient(engine.client, engine.taskQueue).create(workspaceId, canonical(walkthroughDefinition(definitionId)));
  expect(await queueOf(limiterId)).toBe(engine.taskQueue);
  expect(await queueOf(definitionWorkflowId(workspaceId, definitionId))).toBe(engine.taskQueue);

  const { executionId } = await dispatch(admin, { definitionId });
  const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
  ok(await decide(admin, executionId, step.stepId, 'u_editor', 'approve'));
  await waitForStatus(admin, executionId, 'completed');
  const renamed = ok(await admin.post('definitions/update', { definitionId, ifVersion: 1, name: 'Renamed' }));
  expect(renamed).toMatchObject({ definitionId, version: 2, name: 'Renamed' });
  // Both stay where they were started; the worker polls both queues.
  expect(await queueOf(limiterId)).toBe(engine.taskQueue);
  expect(await queueOf(definitionWorkflowId(workspaceId, definitionId))).toBe(engine.taskQueue);
});
