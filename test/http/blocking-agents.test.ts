import { describe, expect, it } from 'vitest';
import { blockingAgentDefinition, LONG_DELAY_MS, type MockControls, type ResolutionPolicy } from '../fixtures/execution-definitions';
import { createAndDispatch, expectError, freshId, ok } from '../support/rest-api';
import { allEvents, eventTypes, getExecution, stepOf, stepsOf, waitForStatus, waitForStep } from '../support/rest-api';
import { useEngine } from '../support/engine';

const { admin } = useEngine();

const resolution = (executionId: string, stepId: string, body: Record<string, unknown>) =>
  admin.post('steps/recordAgentResolution', { executionId, stepId, ...body });

const success = (resolutionId: string, output?: Record<string, unknown>) => ({
  resolutionId,
  status: 'success',
  ...(output ? { output } : {}),
});

/** Dispatches a blocking-agent run and waits for the agent step to park in `waiting`. */
const parked = async (policy: ResolutionPolicy, mock: MockControls = {}) => {
  const executionId = await createAndDispatch(admin, blockingAgentDefinition(freshId('block'), policy, mock));
  const { step } = await waitForStep(admin, executionId, 'agent-check', 'waiting');
  return { executionId, stepId: step.stepId, step };
};

describe('blocking agents, allResolved', () => {
  it('waits for a success per response id, ignores a replayed resolutionId, then completes with approve', async () => {
    const { executionId, stepId, step } = await parked({ kind: 'allResolved' }, { responseIds: ['r1', 'r2'] });
    expect(step.nodeType).toBe('agent');
    expect(step.output.responseIds).toEqual(['r1', 'r2']);
    const awaiting = (await allEvents(admin, executionId)).filter((event) => event.type === 'step.awaiting-approval');
    expect(awaiting.map((event) => event.stepId)).toEqual([stepId]);
    expect(awaiting[0]!.data).toMatchObject({ waitingForReviewers: 2 });

    expect(ok(await resolution(executionId, stepId, success('r1', { ticket: 'T-1' })))).toEqual({
      recorded: true,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
    });
    expect(ok(await resolution(executionId, stepId, success('r1', { ticket: 'T-1-again' })))).toEqual({
      recorded: false,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
    });
    expect(stepOf(await getExecution(admin, executionId), 'agent-check').status).toBe('waiting');

    expect(ok(await resolution(executionId, stepId, success('r2', { ticket: 'T-2' })))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    const done = await waitForStatus(admin, executionId, 'completed');
    const check = stepOf(done, 'agent-check');
    expect(check.status).toBe('completed');
    expect(check.output).toMatchObject({ decision: 'approve', aggregatorStatus: 'resolved' });
    expect(stepOf(done, 'agent-publish').stepId).toBe(`${stepId}__to__agent-publish`);
    expect(stepsOf(done, 'agent-rework')).toEqual([]);

    const events = await allEvents(admin, executionId);
    const completed = events.filter((event) => event.type === 'step.completed' && event.stepId === stepId);
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data).toEqual({ aggregatorStatus: 'resolved', nodeType: 'agent', decision: 'approve', aggregatorBacked: true });
    expect(eventTypes(events)).toEqual([
      'execution.dispatched',
      'step.awaiting-approval',
      'step.completed',
      'step.completed',
      'execution.completed',
    ]);
  });

  it('rejects on a failure resolution: the step completes with decision reject and reject edges fire', async () => {
    const { executionId, stepId } = await parked({ kind: 'allResolved' }, { responseIds: ['r1', 'r2'] });
    ok(await resolution(executionId, stepId, success('r1')));
    expect(ok(await resolution(executionId, stepId, { resolutionId: 'r2', status: 'failure', errorMessage: 'broken link' }))).toEqual({
      recorded: true,
      aggregatorStatus: 'rejected',
      resumeScheduled: true,
    });
    const done = await waitForStatus(admin, executionId, 'completed');
    const check = stepOf(done, 'agent-check');
    expect(check.status).toBe('completed');
    expect(check.output).toMatchObject({ decision: 'reject', aggregatorStatus: 'rejected' });
    expect(stepOf(done, 'agent-rework').stepId).toBe(`${stepId}__to__agent-rework`);
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
  });

  it('expects one resolution when the agent reports no response ids', async () => {
    const { executionId, stepId } = await parked({ kind: 'allResolved' });
    expect(ok(await resolution(executionId, stepId, success('only-one')))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'agent-publish').status).toBe('completed');
  });
});

describe('blocking agents, minResolved', () => {
  it('resolves on the first success with minCount 1', async () => {
    const { executionId, stepId } = await parked({ kind: 'minResolved', minCount: 1 }, { responseIds: ['r1', 'r2', 'r3'] });
    expect(ok(await resolution(executionId, stepId, success('r2')))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'agent-check').output.decision).toBe('approve');
    expect(stepOf(done, 'agent-publish').status).toBe('completed');
  });

  it('waits for minCount successes', async () => {
    const { executionId, stepId } = await parked({ kind: 'minResolved', minCount: 2 }, { responseIds: ['r1', 'r2', 'r3'] });
    expect(ok(await resolution(executionId, stepId, success('r1'))).aggregatorStatus).toBe('pending');
    expect(ok(await resolution(executionId, stepId, success('r3')))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'agent-publish').status).toBe('completed');
  });

  it('rejects on a failure before minCount is reached', async () => {
    const { executionId, stepId } = await parked({ kind: 'minResolved', minCount: 1 });
    expect(ok(await resolution(executionId, stepId, { resolutionId: 'f1', status: 'failure', errorMessage: 'scan failed' }))).toEqual({
      recorded: true,
      aggregatorStatus: 'rejected',
      resumeScheduled: true,
    });
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'agent-check').output.decision).toBe('reject');
    expect(stepOf(done, 'agent-rework').status).toBe('completed');
  });
});

describe('the G1/G3 body shape', () => {
  it('accepts responseId / resolution / actorId and treats a replayed responseId as idempotent', async () => {
    const { executionId, stepId } = await parked({ kind: 'allResolved' }, { responseIds: ['r1', 'r2'] });
    expect(
      ok(await resolution(executionId, stepId, { responseId: 'r1', resolution: 'resolved', actorId: 'u_ops', reason: 'checked' })),
    ).toEqual({
      recorded: true,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
    });
    expect(ok(await resolution(executionId, stepId, { responseId: 'r1', resolution: 'resolved', actorId: 'u_ops' })).recorded).toBe(false);
    expect(ok(await resolution(executionId, stepId, { responseId: 'r2', resolution: 'resolved', actorId: 'u_ops' }))).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'agent-check').output.decision).toBe('approve');
  });

  it('maps resolution "rejected" to a rejection', async () => {
    const { executionId, stepId } = await parked({ kind: 'allResolved' });
    expect(
      ok(await resolution(executionId, stepId, { responseId: 'r1', resolution: 'rejected', actorId: 'u_ops', reason: 'false positive' })),
    ).toEqual({ recorded: true, aggregatorStatus: 'rejected', resumeScheduled: true });
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepOf(done, 'agent-check').output.decision).toBe('reject');
    expect(stepOf(done, 'agent-rework').status).toBe('completed');
  });

  it('requires actorId in the G1/G3 shape', async () => {
    const { executionId, stepId } = await parked({ kind: 'allResolved' });
    const error = expectError(await resolution(executionId, stepId, { responseId: 'r1', resolution: 'resolved' }), 'INVALID_ARGUMENT', 400);
    expect(error.message).toContain('data.actorId');
  });
});

describe('recordAgentResolution errors', () => {
  it('names data.errorMessage when a failure comes without one', async () => {
    const { executionId, stepId } = await parked({ kind: 'allResolved' });
    const error = expectError(await resolution(executionId, stepId, { resolutionId: 'r1', status: 'failure' }), 'INVALID_ARGUMENT', 400);
    expect(error.message).toContain('data.errorMessage');
    expect(stepOf(await getExecution(admin, executionId), 'agent-check').status).toBe('waiting');
  });

  it.each([
    ['a bad resolutionId', { resolutionId: 'not valid!', status: 'success' }, 'data.resolutionId'],
    ['an unknown status', { resolutionId: 'r1', status: 'maybe' }, 'data.status'],
    ['an output value over 16k chars', { resolutionId: 'r1', status: 'success', output: { blob: 'x'.repeat(17 * 1024) } }, 'data.output'],
  ])('answers INVALID_ARGUMENT for %s', async (_label, body, field) => {
    const error = expectError(await resolution('exec_1777374504255_zzzzzzzz', 'step_x', body), 'INVALID_ARGUMENT', 400);
    expect(error.message).toContain(field);
  });

  it('answers NOT_FOUND for unknown executions and steps', async () => {
    const { executionId } = await parked({ kind: 'allResolved' });
    expectError(await resolution('exec_1777374504255_zzzzzzzz', 'step_x', success('r1')), 'NOT_FOUND', 404);
    expectError(await resolution(executionId, 'step_agent-check_1_abcdef', success('r1')), 'NOT_FOUND', 404);
  });

  it('answers FAILED_PRECONDITION while the blocking agent is still running and after it has completed', async () => {
    const executionId = await createAndDispatch(
      admin,
      blockingAgentDefinition(freshId('block-run'), { kind: 'allResolved' }, { delayMs: LONG_DELAY_MS }),
    );
    const { step } = await waitForStep(admin, executionId, 'agent-check', 'running');
    expectError(await resolution(executionId, step.stepId, success('r1')), 'FAILED_PRECONDITION', 400);
    ok(await admin.post('executions/cancel', { executionId }));

    const done = await parked({ kind: 'minResolved', minCount: 1 }, { responseIds: ['r1', 'r2'] });
    ok(await resolution(done.executionId, done.stepId, success('r1')));
    await waitForStatus(admin, done.executionId, 'completed');
    expectError(await resolution(done.executionId, done.stepId, success('r2')), 'FAILED_PRECONDITION', 400);
  });
});
