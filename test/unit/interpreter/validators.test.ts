import { describe, expect, it } from 'vitest';
import {
  checkAgentResolution,
  checkResolve,
  checkReviewerDecision,
  checkStepCancel,
  type ExecutionState,
} from '../../../src/core/interpreter';
import { agent, def, human, Run } from './harness';

const setup = () => {
  const run = Run.start(
    def({
      nodes: [
        human('h', [
          ['u1', true],
          ['u2', true],
        ]),
        human('done', [['u1', true]]),
        agent('a'),
        agent('blocking', { blocking: true, resolutionPolicy: { kind: 'allResolved' } }),
        agent('parked', { blocking: true, resolutionPolicy: { kind: 'allResolved' } }),
      ],
    }),
  );
  run.decide('done', 'u1', 'approve');
  run.decide('h', 'u1', 'approve');
  run.agentDone('parked');
  return run;
};

type Check = (state: ExecutionState, run: Run) => { status: string; message: string } | null;

const cases: Array<[string, Check, string | null]> = [
  ['decision: unknown step', (s) => checkReviewerDecision(s, { stepId: 'nope', reviewerId: 'u1' }), 'NOT_FOUND'],
  ['decision: not a human step', (s, r) => checkReviewerDecision(s, { stepId: r.id('a'), reviewerId: 'u1' }), 'FAILED_PRECONDITION'],
  ['decision: step not waiting', (s, r) => checkReviewerDecision(s, { stepId: r.id('done'), reviewerId: 'u2' }), 'FAILED_PRECONDITION'],
  [
    'decision: replay on a terminal step is fine (recorded: false)',
    (s, r) => checkReviewerDecision(s, { stepId: r.id('done'), reviewerId: 'u1' }),
    null,
  ],
  ['decision: waiting step', (s, r) => checkReviewerDecision(s, { stepId: r.id('h'), reviewerId: 'u2' }), null],
  ['decision: unknown reviewer is no error', (s, r) => checkReviewerDecision(s, { stepId: r.id('h'), reviewerId: 'who' }), null],
  ['resolution: unknown step', (s) => checkAgentResolution(s, { stepId: 'nope', resolutionId: 'r' }), 'NOT_FOUND'],
  ['resolution: human step', (s, r) => checkAgentResolution(s, { stepId: r.id('h'), resolutionId: 'r' }), 'FAILED_PRECONDITION'],
  ['resolution: non-blocking agent', (s, r) => checkAgentResolution(s, { stepId: r.id('a'), resolutionId: 'r' }), 'FAILED_PRECONDITION'],
  [
    'resolution: blocking agent still running',
    (s, r) => checkAgentResolution(s, { stepId: r.id('blocking'), resolutionId: 'r' }),
    'FAILED_PRECONDITION',
  ],
  ['resolution: parked blocking agent', (s, r) => checkAgentResolution(s, { stepId: r.id('parked'), resolutionId: 'r' }), null],
  ['cancel: unknown step', (s) => checkStepCancel(s, { stepId: 'nope' }), 'NOT_FOUND'],
  ['cancel: terminal step', (s, r) => checkStepCancel(s, { stepId: r.id('done') }), 'FAILED_PRECONDITION'],
  ['cancel: running agent', (s, r) => checkStepCancel(s, { stepId: r.id('a') }), null],
  ['cancel: waiting human', (s, r) => checkStepCancel(s, { stepId: r.id('h') }), null],
  ['resolve: unknown step', (s) => checkResolve(s, { stepId: 'nope', action: 'force-complete', actorId: 'x' }), 'NOT_FOUND'],
  [
    'resolve: force-approve on agent',
    (s, r) => checkResolve(s, { stepId: r.id('a'), action: 'force-approve', actorId: 'x' }),
    'FAILED_PRECONDITION',
  ],
  [
    'resolve: force-approve on terminal human',
    (s, r) => checkResolve(s, { stepId: r.id('done'), action: 'force-approve', actorId: 'x' }),
    'FAILED_PRECONDITION',
  ],
  [
    'resolve: reviewer-approve by non-reviewer',
    (s, r) => checkResolve(s, { stepId: r.id('h'), action: 'reviewer-approve', actorId: 'x' }),
    'PERMISSION_DENIED',
  ],
  [
    'resolve: reviewer-reject by reviewer',
    (s, r) => checkResolve(s, { stepId: r.id('h'), action: 'reviewer-reject', actorId: 'u2' }),
    null,
  ],
  ['resolve: force-complete running agent', (s, r) => checkResolve(s, { stepId: r.id('a'), action: 'force-complete', actorId: 'x' }), null],
  [
    'resolve: force-fail parked blocking agent',
    (s, r) => checkResolve(s, { stepId: r.id('parked'), action: 'force-fail', actorId: 'x' }),
    null,
  ],
  [
    'resolve: force-fail terminal',
    (s, r) => checkResolve(s, { stepId: r.id('done'), action: 'force-fail', actorId: 'x' }),
    'FAILED_PRECONDITION',
  ],
];

describe('validators', () => {
  it.each(cases)('%s', (_, check, status) => {
    const run = setup();
    const before = JSON.stringify(run.state);
    const error = check(run.state, run);
    expect(error?.status ?? null).toBe(status);
    if (error) expect(error.message.length).toBeGreaterThan(0);
    expect(JSON.stringify(run.state)).toBe(before);
  });
});
