import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleWorkflowCode } from '@temporalio/worker';
import { toEngineError } from '../../api/error-mapper';
import { definitionWorkflowId } from '../../src/contracts/definition-messages';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { DefinitionClient } from '../../src/infra/temporal/definition-client';
import { walkthroughDefinition } from '../fixtures/definitions';
import { reviewDefinition } from '../fixtures/execution-definitions';
import { createAndDispatch, expectError, freshId, ok } from '../support/rest-api';
import { waitForStatus, waitForStep } from '../support/rest-api';
import { canonical } from '../fixtures/canonical-definitions';
import { useEngine } from '../support/engine';
import { engineBundleOptions } from '../../src/infra/worker/workflow-bundle-options';

const SKIP_VALIDATORS = fileURLToPath(new URL('../fixtures/skip-update-validators.ts', import.meta.url));

const noop = (): void => undefined;
const engine = useEngine(async () => ({
  workflowBundle: await bundleWorkflowCode({
    ...engineBundleOptions(),
    workflowInterceptorModules: [SKIP_VALIDATORS],
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop },
  }),
}));

/** The Update was accepted (its validator did not refuse it) and then failed in its handler; no workflow task failed. */
const expectRefusedByHandler = async (workflowId: string, refusals: number): Promise<void> => {
  const events = (await engine.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const failed = events.filter((event) => event.workflowExecutionUpdateCompletedEventAttributes?.outcome?.failure);
  expect(failed).toHaveLength(refusals);
  expect(events.some((event) => event.workflowTaskFailedEventAttributes)).toBe(false);
};

describe('refusals found inside an Update handler (validators skipped by a test interceptor)', () => {
  it('answer the documented envelope, and the execution goes on', async () => {
    const admin = engine.admin;
    const executionId = await createAndDispatch(admin, reviewDefinition(freshId('refusal'), { hold: true }));
    const review = (await waitForStep(admin, executionId, 'human-review', 'waiting')).step;
    const hold = (await waitForStep(admin, executionId, 'human-hold', 'waiting')).step;
    ok(
      await admin.post('steps/recordReviewerDecision', { executionId, stepId: review.stepId, reviewerId: 'u_editor', decision: 'approve' }),
    );
    await waitForStep(admin, executionId, 'human-review', 'completed');

    // Refusals no later event can clear: the handler answers them at once, live and on replay.
    const intruder = await admin.post('steps/resolve', {
      executionId,
      stepId: hold.stepId,
      action: 'reviewer-approve',
      actorId: 'u_intruder',
    });
    expect(expectError(intruder, 'PERMISSION_DENIED', 403).message).toBe(`actorId u_intruder is not a reviewer of step ${hold.stepId}`);
    const ended = await admin.post('steps/resolve', { executionId, stepId: review.stepId, action: 'force-approve', actorId: 'u_admin' });
    expect(expectError(ended, 'FAILED_PRECONDITION', 400).message).toBe(`step ${review.stepId} is already completed`);

    expect(
      ok(await admin.post('steps/recordReviewerDecision', { executionId, stepId: hold.stepId, reviewerId: 'u_hold', decision: 'approve' })),
    ).toEqual({ recorded: true, aggregatorStatus: 'resolved', resumeScheduled: true });
    // A completed run is read by replaying its whole history, refusals included.
    await waitForStatus(admin, executionId, 'completed');
    await expectRefusedByHandler(executionWorkflowId(engine.workspaceIdA, executionId), 2);
  });

  it('a stale ifVersion reaches the definition handler and is refused there; the definition goes on', async () => {
    const definitionId = freshId('stale');
    const definitions = new DefinitionClient(engine.client, engine.taskQueue);
    const content = canonical(walkthroughDefinition(definitionId));
    await definitions.create(engine.workspaceIdA, content);
    await definitions.update(engine.workspaceIdA, definitionId, { ifVersion: 1, content: { ...content, name: 'v2' } });
    const stale = await definitions.update(engine.workspaceIdA, definitionId, { ifVersion: 1, content: { ...content, name: 'lost' } }).then(
      () => null,
      (error: unknown) => toEngineError(error).toBody(),
    );
    expect(stale).toEqual({ status: 'FAILED_PRECONDITION', message: 'Version conflict: expected 1, current 2' });

    const updated = ok(await engine.admin.post('definitions/update', { definitionId, ifVersion: 2, name: 'v3' }));
    expect(updated).toMatchObject({ version: 3, name: 'v3' });
    await expectRefusedByHandler(definitionWorkflowId(engine.workspaceIdA, definitionId), 1);
  });
});
