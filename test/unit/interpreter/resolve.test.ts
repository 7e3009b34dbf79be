import { describe, expect, it } from 'vitest';
import type { ResolveAction } from '../../../src/core/interpreter';
import { agent, approveGate, def, edge, expectEngineError, human, Run, statusGate, rejectGate } from './harness';

const flow = def({
  nodes: [
    human('h', [
      ['u1', true],
      ['u2', false],
    ]),
    agent('a'),
    agent('approved'),
    agent('rejected'),
    agent('failed'),
  ],
  edges: [edge('h', 'approved', approveGate), edge('h', 'rejected', rejectGate), edge('h', 'failed', statusGate('failed'))],
});

const resolve = (
  run: Run,
  nodeId: string,
  action: ResolveAction,
  extra: { actorId?: string; output?: Record<string, unknown>; reason?: string } = {},
) =>
  run.apply({
    kind: 'stepResolved',
    stepId: run.id(nodeId),
    action,
    actorId: extra.actorId ?? 'ops',
    output: extra.output,
    reason: extra.reason,
  });

describe('/steps/resolve', () => {
  it.each([
    ['force-approve', 'ops', 'approve', 'approved'],
    ['reviewer-approve', 'u2', 'approve', 'approved'],
    ['force-reject', 'ops', 'reject', 'rejected'],
    ['reviewer-reject', 'u1', 'reject', 'rejected'],
  ] as const)('%s completes the human step with decision %s; the gated edge fires', (action, actorId, decision, next) => {
    const run = Run.start(flow);
    const reply = resolve(run, 'h', action, {
      actorId,
      output: { decision: 'hijack', approved: 'x', approvalReply: 'x', note: 'kept' },
      reason: 'ok by me',
    });
    expect(reply).toEqual({ resolved: true, executionId: run.state.executionId, stepId: run.id('h'), action });
    const output = run.step('h').output;
    expect(output).toMatchObject({
      decision,
      approved: decision === 'approve',
      approvalReply: 'ok by me',
      note: 'kept',
      aggregatorStatus: decision === 'approve' ? 'resolved' : 'rejected',
      overriddenBy: actorId,
    });
    // Resolve rejections never set the natural-reject fields (the default loop predicate must not fire).
    expect(output).not.toHaveProperty('rejectedBy');
    expect(output).not.toHaveProperty('rejectorMandatory');
    expect(run.steps(next)).toHaveLength(1);
    expect(run.eventsOf('step.overridden')[0]?.data).toEqual({ actorId, action, reason: 'ok by me', decision });
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({
      aggregatorStatus: decision === 'approve' ? 'resolved' : 'rejected',
      nodeType: 'human',
      decision,
      aggregatorBacked: false,
    });
  });

  it('force-complete writes the caller output (or {}) and fires edges as on completion', () => {
    const run = Run.start(flow);
    resolve(run, 'h', 'force-complete', { output: { decision: 'approve', by: 'ops' } });
    expect(run.step('h')).toMatchObject({ status: 'completed', output: { decision: 'approve', by: 'ops' } });
    expect(run.steps('approved')).toHaveLength(1);
    resolve(run, 'a', 'force-complete');
    expect(run.step('a')).toMatchObject({ status: 'completed', output: {} });
    expect(run.commands).toContainEqual({ kind: 'cancelAgent', stepId: run.id('a') });
    expect(run.eventsOf('step.completed').at(-1)?.data).toEqual({ agentId: '__mock__' });
  });

  it('force-fail fails the step (running or waiting) and failed-gated edges fire', () => {
    const run = Run.start(flow);
    resolve(run, 'h', 'force-fail', { output: { why: 'x' }, reason: 'broken' });
    expect(run.step('h')).toMatchObject({ status: 'failed', output: { why: 'x' }, error: { code: 'force-failed', message: 'broken' } });
    expect(run.eventsOf('step.failed')[0]?.data).toEqual({ error: { code: 'force-failed', message: 'broken' } });
    expect(run.steps('failed')).toHaveLength(1);
    resolve(run, 'a', 'force-fail');
    expect(run.step('a')).toMatchObject({ status: 'failed', error: { code: 'force-failed', message: 'failed by ops' } });
  });

  const errors: Array<[string, (run: Run) => unknown, string]> = [
    ['unknown step', (run) => run.apply({ kind: 'stepResolved', stepId: 'nope', action: 'force-complete', actorId: 'ops' }), 'NOT_FOUND'],
    ['force-approve on an agent', (run) => resolve(run, 'a', 'force-approve'), 'FAILED_PRECONDITION'],
    ['force-reject on an agent', (run) => resolve(run, 'a', 'force-reject'), 'FAILED_PRECONDITION'],
    ['reviewer-approve on an agent', (run) => resolve(run, 'a', 'reviewer-approve', { actorId: 'u1' }), 'FAILED_PRECONDITION'],
    ['reviewer-approve by a non-reviewer', (run) => resolve(run, 'h', 'reviewer-approve', { actorId: 'mallory' }), 'PERMISSION_DENIED'],
    ['reviewer-reject by a non-reviewer', (run) => resolve(run, 'h', 'reviewer-reject', { actorId: 'mallory' }), 'PERMISSION_DENIED'],
    [
      'force-approve on a terminal step',
      (run) => {
        run.decide('h', 'u1', 'approve');
        return resolve(run, 'h', 'force-approve');
      },
      'FAILED_PRECONDITION',
    ],
    [
      'force-complete on a terminal step',
      (run) => {
        run.agentDone('a');
        return resolve(run, 'a', 'force-complete');
      },
      'FAILED_PRECONDITION',
    ],
    [
      'a second resolve',
      (run) => {
        resolve(run, 'h', 'force-fail');
        return resolve(run, 'h', 'force-fail');
      },
      'FAILED_PRECONDITION',
    ],
  ];

  it.each(errors)('%s', (_, act, status) => {
    expectEngineError(() => act(Run.start(flow)), status);
  });

  it('a refused request leaves the given state untouched', () => {
    const run = Run.start(flow);
    const snapshot = JSON.stringify(run.state);
    expectEngineError(() => resolve(run, 'h', 'reviewer-approve', { actorId: 'mallory' }), 'PERMISSION_DENIED');
    expect(JSON.stringify(run.state)).toBe(snapshot);
  });

  it('reviewer-* accepts userIds declared through legacy reviewerIds', () => {
    const run = Run.start(def({ nodes: [human('h', ['legacy-user'])] }));
    resolve(run, 'h', 'reviewer-approve', { actorId: 'legacy-user' });
    expect(run.step('h').output.decision).toBe('approve');
  });
});
