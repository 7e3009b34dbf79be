import { describe, expect, it } from 'vitest';
import type { CanonicalDefinition } from '../../../src/core/definition';
import { checkReviewerDecision, type ResolveAction } from '../../../src/core/interpreter';
import { agent, approveGate, def, edge, expectEngineError, human, rejectGate, Run, statusGate } from './harness';

/*
 * recordReviewerDecision and /steps/resolve per generation (docs/behaviour.md, "G3 runtime").
 * The `g2` halves pin that nothing changed for seed-era definitions.
 */

const g3 = (definition: CanonicalDefinition): CanonicalDefinition => ({ ...definition, generation: 'g3' });

/** A review with a mandatory and an optional reviewer; a second review keeps the run open after the first resolves. */
const review = def({
  nodes: [
    human('review', [
      ['u_m', true],
      ['u_o', false],
    ]),
    human('final', [['u_f', true]]),
    agent('rework'),
  ],
  edges: [edge('review', 'final', approveGate), edge('review', 'rework', rejectGate)],
});

describe('recordReviewerDecision replies', () => {
  it('g3: an undeclared reviewerId is discarded (recorded:false, unknown-responder), kept once in the audit list, moves no counter', () => {
    const run = Run.start(g3(review));
    expect(run.decide('review', 'u_stranger', 'reject')).toEqual({
      recorded: false,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
      rejectionReason: 'unknown-responder',
    });
    expect(run.decide('review', 'u_stranger', 'approve')).toMatchObject({ recorded: false, rejectionReason: 'unknown-responder' });
    const step = run.step('review');
    expect(step.status).toBe('waiting');
    expect(step.output).toMatchObject({ approveCount: 0, rejectCount: 0, totalResponses: 0, mandatoryApproveCount: 0 });
    expect(step.output.unknownResponders).toEqual([{ userId: 'u_stranger', decision: 'reject', respondedAt: run.now }]);
    expect(run.eventsOf('step.response-recorded').map((e) => e.data)).toEqual([
      { reviewerId: 'u_stranger', decision: 'reject', known: false },
    ]);
    expect(run.decide('review', 'u_m', 'approve')).toEqual({ recorded: true, aggregatorStatus: 'resolved', resumeScheduled: true });
  });

  it('g2: an undeclared reviewerId is recorded:true and kept in output.unknownResponders (unchanged)', () => {
    const run = Run.start(review);
    expect(run.decide('review', 'u_stranger', 'reject')).toEqual({ recorded: true, aggregatorStatus: 'pending', resumeScheduled: false });
    expect(run.decide('review', 'u_stranger', 'reject')).toEqual({ recorded: false, aggregatorStatus: 'pending', resumeScheduled: false });
  });

  it('g3: a replay is idempotent, while waiting and after the step resumed', () => {
    const run = Run.start(g3(review));
    expect(run.decide('review', 'u_o', 'approve')).toEqual({ recorded: true, aggregatorStatus: 'pending', resumeScheduled: false });
    expect(run.decide('review', 'u_o', 'reject')).toEqual({
      recorded: false,
      aggregatorStatus: 'pending',
      resumeScheduled: false,
      rejectionReason: 'idempotent',
    });
    run.decide('review', 'u_m', 'approve');
    expect(run.decide('review', 'u_m', 'approve')).toEqual({
      recorded: false,
      aggregatorStatus: 'resolved',
      resumeScheduled: false,
      rejectionReason: 'idempotent',
    });
  });

  it('g3: a declared reviewer who arrives after the aggregator decided gets already-terminal; an undeclared one unknown-responder', () => {
    const run = Run.start(g3(review));
    run.decide('review', 'u_m', 'approve');
    const before = JSON.stringify(run.step('review'));
    expect(run.decide('review', 'u_o', 'reject')).toEqual({
      recorded: false,
      aggregatorStatus: 'resolved',
      resumeScheduled: false,
      rejectionReason: 'already-terminal',
    });
    expect(run.decide('review', 'u_late_stranger', 'approve')).toMatchObject({ recorded: false, rejectionReason: 'unknown-responder' });
    expect(JSON.stringify(run.step('review'))).toBe(before);
    expect(run.steps('rework')).toHaveLength(0);
  });

  it('g2: the same late reviewer is FAILED_PRECONDITION (unchanged)', () => {
    const run = Run.start(review);
    run.decide('review', 'u_m', 'approve');
    expectEngineError(() => run.decide('review', 'u_o', 'reject'), 'FAILED_PRECONDITION', /already completed/);
    expect(checkReviewerDecision(run.state, { stepId: run.id('review'), reviewerId: 'u_o' })?.status).toBe('FAILED_PRECONDITION');
    expect(checkReviewerDecision(run.state, { stepId: run.id('review'), reviewerId: 'u_o' }, 'g3')).toBeNull();
  });

  it('g3: a step that ended without its aggregator deciding (cancelled, breached, force-failed) still refuses', () => {
    const run = Run.start(g3(review));
    run.apply({ kind: 'stepCancelled', stepId: run.id('review'), actorId: 'ops' });
    expectEngineError(() => run.decide('review', 'u_m', 'approve'), 'FAILED_PRECONDITION', /cancelled/);
  });
});

describe('/steps/resolve on any waiting step', () => {
  const agentFlow = def({
    nodes: [agent('a', { inputMapping: { mock: { delayMs: 60_000 } } }), agent('ok'), agent('no'), agent('broke')],
    edges: [edge('a', 'ok', approveGate), edge('a', 'no', rejectGate), edge('a', 'broke', statusGate('failed'))],
  });
  const resolve = (run: Run, action: ResolveAction, extra: { output?: Record<string, unknown>; reason?: string } = {}) =>
    run.apply({ kind: 'stepResolved', stepId: run.id('a'), action, actorId: 'ops', ...extra });

  it.each([
    ['force-approve', 'approve', 'ok'],
    ['force-reject', 'reject', 'no'],
  ] as const)('g3: %s on an agent whose run is in flight stops the run, decides and routes', (action, decision, next) => {
    const run = Run.start(g3(agentFlow));
    run.advance(500);
    resolve(run, action, { output: { note: 'by hand', decision: 'hijack', overriddenAt: 1 }, reason: 'vendor down' });
    const step = run.step('a');
    expect(step.status).toBe('completed');
    expect(step.output).toEqual({
      note: 'by hand',
      decision,
      approved: decision === 'approve',
      approvalReply: 'vendor down',
      resumedAt: run.now,
      overriddenBy: 'ops',
      overriddenAt: run.now,
    });
    expect(run.commands).toContainEqual({ kind: 'cancelAgent', stepId: step.stepId });
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({
      agentId: '__mock__',
      agentExecutionId: `agentexec_${step.stepId}`,
      agentExecutionStatus: null,
      decision,
      source: 'override',
      synthetic: true,
    });
    expect(run.steps(next)).toHaveLength(1);
    // The cancelled run's late answer changes nothing.
    run.agentDone('a');
    expect(run.step('a').output.decision).toBe(decision);
  });

  it('g2: force-approve on a running agent stays FAILED_PRECONDITION (it is not waiting)', () => {
    const run = Run.start(agentFlow);
    expectEngineError(() => resolve(run, 'force-approve'), 'FAILED_PRECONDITION', /not waiting/);
  });

  it.each([
    ['g2', (d: CanonicalDefinition) => d],
    ['g3', g3],
  ] as const)('%s: force-approve on a parked blocking agent resolves its aggregator and routes approve', (_, generation) => {
    const run = Run.start(
      generation(
        def({
          nodes: [agent('a', { agentId: 'scanner', blocking: true, resolutionPolicy: { kind: 'allResolved' } }), agent('ok'), agent('no')],
          edges: [edge('a', 'ok', approveGate), edge('a', 'no', rejectGate)],
        }),
      ),
    );
    run.agentDone('a');
    expect(run.step('a').status).toBe('waiting');
    resolve(run, 'force-approve');
    expect(run.step('a')).toMatchObject({
      status: 'completed',
      output: { aggregatorStatus: 'resolved', decision: 'approve', overriddenBy: 'ops' },
    });
    expect(run.eventsOf('step.completed')[0]?.data).toMatchObject({
      aggregatorStatus: 'resolved',
      nodeType: 'agent',
      decision: 'approve',
      aggregatorBacked: false,
    });
    expect(run.steps('ok')).toHaveLength(1);
    expect(run.steps('no')).toHaveLength(0);
  });

  it.each([
    ['g2', (d: CanonicalDefinition) => d],
    ['g3', g3],
  ] as const)('%s: force-complete and force-fail add overriddenAt; a caller-supplied one wins', (_, generation) => {
    const completed = Run.start(generation(agentFlow));
    completed.advance(10);
    resolve(completed, 'force-complete', { output: { decision: 'approve' } });
    expect(completed.step('a').output).toEqual({ overriddenAt: completed.now, decision: 'approve' });
    const mine = Run.start(generation(agentFlow));
    resolve(mine, 'force-complete', { output: { overriddenAt: 1_700_000_000_000 } });
    expect(mine.step('a').output).toEqual({ overriddenAt: 1_700_000_000_000 });

    const failed = Run.start(generation(agentFlow));
    resolve(failed, 'force-fail', { reason: 'gone' });
    expect(failed.step('a')).toMatchObject({ status: 'failed', output: { overriddenAt: failed.now }, error: { code: 'force-failed' } });
    expect(failed.steps('broke')).toHaveLength(1);
    const failedMine = Run.start(generation(agentFlow));
    resolve(failedMine, 'force-fail', { output: { why: 'x', overriddenAt: 5 } });
    expect(failedMine.step('a').output).toEqual({ why: 'x', overriddenAt: 5 });
  });

  it('g3: force-complete and force-fail of an agent report source override', () => {
    const completed = Run.start(g3(agentFlow));
    resolve(completed, 'force-complete', { output: { decision: 'approve' } });
    expect(completed.eventsOf('step.completed')[0]?.data).toMatchObject({
      agentExecutionId: `agentexec_${completed.id('a')}`,
      decision: 'approve',
      source: 'override',
    });
    const failed = Run.start(g3(agentFlow));
    resolve(failed, 'force-fail', { reason: 'gone' });
    expect(failed.eventsOf('step.failed')[0]?.data).toMatchObject({
      error: { code: 'force-failed', message: 'gone' },
      source: 'override',
      decision: null,
    });
  });

  it('step.failed of a human step: g3 adds { reason }, g2 keeps { error }', () => {
    const modern = Run.start(g3(review));
    modern.apply({ kind: 'stepResolved', stepId: modern.id('review'), action: 'force-fail', actorId: 'ops' });
    expect(modern.eventsOf('step.failed')[0]?.data).toEqual({
      error: { code: 'force-failed', message: 'failed by ops' },
      reason: 'force-failed',
    });
    const old = Run.start(review);
    old.apply({ kind: 'stepResolved', stepId: old.id('review'), action: 'force-fail', actorId: 'ops' });
    expect(old.eventsOf('step.failed')[0]?.data).toEqual({ error: { code: 'force-failed', message: 'failed by ops' } });
  });

  it('unknown steps stay NOT_FOUND; reviewer-* stays human-only', () => {
    const run = Run.start(g3(agentFlow));
    expectEngineError(() => run.apply({ kind: 'stepResolved', stepId: 'nope', action: 'force-approve', actorId: 'ops' }), 'NOT_FOUND');
    expectEngineError(() => resolve(run, 'reviewer-approve'), 'FAILED_PRECONDITION', /human steps only/);
  });
});
