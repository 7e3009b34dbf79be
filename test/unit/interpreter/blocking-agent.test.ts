import { describe, expect, it } from 'vitest';
import { agent, approveGate, def, edge, expectEngineError, passed, rejectGate, Run } from './harness';

type Policy = { kind: 'allResolved' } | { kind: 'minResolved'; minCount: number };

const blocking = (policy: Policy) =>
  def({
    nodes: [agent('scan', { agentId: 'scanner', blocking: true, resolutionPolicy: policy }), agent('ship'), agent('fix')],
    edges: [edge('scan', 'ship', approveGate), edge('scan', 'fix', rejectGate)],
  });

const resolution = (run: Run, resolutionId: string, status: 'success' | 'failure' = 'success', output: Record<string, unknown> = {}) =>
  run.apply({
    kind: 'agentResolutionRecorded',
    stepId: run.id('scan'),
    resolutionId,
    status,
    output,
    errorMessage: status === 'failure' ? 'not fixed' : null,
  });

const pending = { recorded: true, aggregatorStatus: 'pending', resumeScheduled: false };
const resolvedReply = { recorded: true, aggregatorStatus: 'resolved', resumeScheduled: true };
const rejectedReply = { recorded: true, aggregatorStatus: 'rejected', resumeScheduled: true };

describe('blocking agents', () => {
  it('park in waiting after the run with step.awaiting-approval', () => {
    const run = Run.start(blocking({ kind: 'allResolved' }));
    run.agentDone('scan', passed({ findings: 2 }, { responseIds: ['f1', 'f2'] }));
    expect(run.step('scan')).toMatchObject({
      status: 'waiting',
      output: { findings: 2, aggregatorStatus: 'pending', expectedResolutions: 2, responseIds: ['f1', 'f2'] },
    });
    expect(run.step('scan').output).not.toHaveProperty('decision');
    expect(run.eventsOf('step.awaiting-approval')[0]?.data).toEqual({
      waitingForReviewers: 2,
      mandatoryCount: 2,
      resumeKey: `agent:${run.id('scan')}`,
    });
  });

  const cases: Array<{
    name: string;
    policy: Policy;
    responseIds: string[];
    calls: Array<[string, 'success' | 'failure', object]>;
    next: string;
  }> = [
    {
      name: 'allResolved without response ids: one success',
      policy: { kind: 'allResolved' },
      responseIds: [],
      calls: [['x', 'success', resolvedReply]],
      next: 'ship',
    },
    {
      name: 'allResolved: every response id needs a success',
      policy: { kind: 'allResolved' },
      responseIds: ['f1', 'f2'],
      calls: [
        ['f1', 'success', pending],
        ['other', 'success', pending],
        ['f2', 'success', resolvedReply],
      ],
      next: 'ship',
    },
    {
      name: 'minResolved: minCount successes',
      policy: { kind: 'minResolved', minCount: 2 },
      responseIds: ['f1', 'f2', 'f3'],
      calls: [
        ['a', 'success', pending],
        ['b', 'success', resolvedReply],
      ],
      next: 'ship',
    },
    {
      name: 'any failure rejects',
      policy: { kind: 'minResolved', minCount: 2 },
      responseIds: [],
      calls: [
        ['a', 'success', pending],
        ['b', 'failure', rejectedReply],
      ],
      next: 'fix',
    },
    {
      name: 'a replayed resolutionId is not recorded',
      policy: { kind: 'minResolved', minCount: 2 },
      responseIds: [],
      calls: [
        ['a', 'success', pending],
        ['a', 'success', { recorded: false, aggregatorStatus: 'pending', resumeScheduled: false }],
        ['a', 'failure', { recorded: false, aggregatorStatus: 'pending', resumeScheduled: false }],
        ['b', 'success', resolvedReply],
      ],
      next: 'ship',
    },
  ];

  it.each(cases)('$name', ({ policy, responseIds, calls, next }) => {
    const run = Run.start(blocking(policy));
    run.agentDone('scan', passed({}, { responseIds }));
    for (const [id, status, reply] of calls) expect(resolution(run, id, status)).toEqual(reply);
    expect(run.step('scan').status).toBe('completed');
    expect(run.steps(next)).toHaveLength(1);
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({
      aggregatorStatus: next === 'ship' ? 'resolved' : 'rejected',
      nodeType: 'agent',
      decision: next === 'ship' ? 'approve' : 'reject',
      aggregatorBacked: true,
    });
  });

  it('merges success outputs under the engine fields and keeps the verdict', () => {
    const run = Run.start(blocking({ kind: 'allResolved' }));
    run.agentDone('scan', passed({ findings: 1 }));
    run.advance(5);
    resolution(run, 'r1', 'success', { fixedBy: 'dev', agentId: 'hijack' });
    expect(run.step('scan').output).toMatchObject({
      findings: 1,
      fixedBy: 'dev',
      agentId: 'scanner',
      decision: 'approve',
      approved: true,
      aggregatorStatus: 'resolved',
      resolvedCount: 1,
      resumedAt: run.now,
      resolutions: [{ resolutionId: 'r1', status: 'success', errorMessage: null }],
    });
  });

  it('a replay after the step completed answers recorded: false', () => {
    const run = Run.start(blocking({ kind: 'allResolved' }));
    run.agentDone('scan');
    resolution(run, 'r1');
    expect(resolution(run, 'r1')).toEqual({ recorded: false, aggregatorStatus: 'resolved', resumeScheduled: false });
    expectEngineError(() => resolution(run, 'r2'), 'FAILED_PRECONDITION');
  });

  it('resolutions before the agent run finished are refused', () => {
    const run = Run.start(blocking({ kind: 'allResolved' }));
    expectEngineError(() => resolution(run, 'r1'), 'FAILED_PRECONDITION', /not waiting/);
  });

  it('a blocking agent whose run errors fails without parking', () => {
    const run = Run.start(blocking({ kind: 'allResolved' }));
    run.agentFail('scan');
    expect(run.step('scan').status).toBe('failed');
    expect(run.eventsOf('step.awaiting-approval')).toHaveLength(0);
  });

  it('force-complete on a parked blocking agent', () => {
    const run = Run.start(blocking({ kind: 'allResolved' }));
    run.agentDone('scan');
    run.apply({ kind: 'stepResolved', stepId: run.id('scan'), action: 'force-complete', actorId: 'ops', output: { decision: 'approve' } });
    expect(run.steps('ship')).toHaveLength(1);
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({
      aggregatorStatus: 'resolved',
      nodeType: 'agent',
      decision: 'approve',
      aggregatorBacked: false,
    });
  });
});
