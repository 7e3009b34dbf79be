import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/core/errors';
import type { CanonicalDefinition } from '../../../src/core/definition';
import { isTerminalStep, type QuorumPolicy } from '../../../src/core/interpreter';
import { agent, approveGate, breachedGate, def, edge, human, rejectGate, Run } from './harness';

/*
 * Random interleavings of member decisions, admin cancellations, resolves and SLA breaches in one
 * parallel group (optionally the bounding group of a loop). Invariants: at most one
 * group.quorum-met per group instance, at most one join successor per target and instance, no
 * fan-out from cancelled steps, every member terminal once every member has been driven to an end.
 */

interface Scenario {
  members: number;
  reviewers: number;
  policy: QuorumPolicy;
  quorum: number;
  required: number;
  sla: boolean[];
  loop: boolean;
  actions: Action[];
}

type Action =
  | { kind: 'decide'; member: number; reviewer: number; decision: 'approve' | 'reject' }
  | { kind: 'cancel'; member: number }
  | { kind: 'breach'; member: number }
  | { kind: 'resolve'; member: number; action: 'force-approve' | 'force-reject' | 'force-complete' | 'force-fail' }
  | { kind: 'agents' };

const memberId = (i: number): string => `m${i}`;

const definitionOf = (s: Scenario): CanonicalDefinition => {
  const members = Array.from({ length: s.members }, (_, i) => memberId(i));
  const quorum = s.loop ? s.members : Math.min(s.quorum, s.members);
  const policy: QuorumPolicy = s.loop ? 'joinOnQuorum' : s.policy;
  return def({
    nodes: [
      agent('start'),
      ...members.map((m, i) => ({
        ...human(
          m,
          Array.from({ length: s.reviewers }, (_, r) => [`${m}_u${r}`, r === 0] as [string, boolean]),
        ),
        ...(s.sla[i] ? { slaMs: 1000 } : {}),
      })),
      agent('next'),
      agent('rework'),
      agent('late'),
    ],
    edges: [
      ...members.map((m) => edge('start', m)),
      ...members.flatMap((m, i) => [
        edge(m, 'next', approveGate),
        edge(m, 'rework', rejectGate),
        ...(s.sla[i] ? [edge(m, 'late', breachedGate)] : []),
      ]),
    ],
    groups: [
      {
        groupId: 'g',
        memberNodeIds: members,
        expectedSteps: s.members,
        quorum,
        onQuorumMet: policy,
        requiredNodeIds: members.slice(0, Math.min(s.required, quorum)),
      },
    ],
    loops: s.loop ? [{ loopId: 'l', entryNodeId: 'start', bodyNodeIds: ['start', ...members], maxIterations: 3 }] : null,
  });
};

const actionArb = (members: number, reviewers: number): fc.Arbitrary<Action> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('decide' as const),
        member: fc.nat(members - 1),
        reviewer: fc.nat(reviewers - 1),
        decision: fc.constantFrom('approve' as const, 'reject' as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), member: fc.nat(members - 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('breach' as const), member: fc.nat(members - 1) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('resolve' as const),
        member: fc.nat(members - 1),
        action: fc.constantFrom('force-approve' as const, 'force-reject' as const, 'force-complete' as const, 'force-fail' as const),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'agents' as const }) },
  );

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({ members: fc.integer({ min: 1, max: 5 }), reviewers: fc.integer({ min: 1, max: 3 }) })
  .chain(({ members, reviewers }) =>
    fc.record({
      members: fc.constant(members),
      reviewers: fc.constant(reviewers),
      policy: fc.constantFrom<QuorumPolicy>('waitAll', 'cancelOnQuorum', 'joinOnQuorum'),
      quorum: fc.integer({ min: 1, max: members }),
      required: fc.integer({ min: 0, max: members }),
      sla: fc.array(fc.boolean(), { minLength: members, maxLength: members }),
      loop: fc.boolean(),
      actions: fc.array(actionArb(members, reviewers), { maxLength: 40 }),
    }),
  );

/** The live step of a member, if any. */
const liveStep = (run: Run, member: number) =>
  run
    .steps(memberId(member))
    .filter((s) => !isTerminalStep(s.status))
    .at(-1);

const perform = (run: Run, action: Action): void => {
  if (action.kind === 'agents') {
    run.runAgents();
    return;
  }
  const step = liveStep(run, action.member) ?? run.steps(memberId(action.member)).at(-1);
  if (!step) return;
  try {
    switch (action.kind) {
      case 'decide':
        run.apply({
          kind: 'reviewerDecisionRecorded',
          stepId: step.stepId,
          reviewerId: `${memberId(action.member)}_u${action.reviewer}`,
          decision: action.decision,
        });
        break;
      case 'cancel':
        run.apply({ kind: 'stepCancelled', stepId: step.stepId, actorId: 'admin' });
        break;
      case 'breach':
        if (step.slaDeadlineAt !== null) run.apply({ kind: 'slaExpired', stepId: step.stepId });
        break;
      case 'resolve':
        run.apply({ kind: 'stepResolved', stepId: step.stepId, action: action.action, actorId: 'ops' });
        break;
    }
  } catch (error) {
    // Refusals are part of the game (terminal steps, ...); anything else is a bug.
    if (!(error instanceof EngineError)) throw error;
  }
};

/** Drives every remaining member to an end: approvals by every reviewer, agents run, until quiet. */
const drain = (run: Run, s: Scenario): void => {
  for (let round = 0; round < 20; round += 1) {
    run.runAgents();
    const live = Array.from({ length: s.members }, (_, i) => i).filter((i) => liveStep(run, i));
    if (live.length === 0) break;
    for (const i of live) {
      for (let r = 0; r < s.reviewers; r += 1) perform(run, { kind: 'decide', member: i, reviewer: r, decision: 'approve' });
    }
  }
  run.runAgents();
};

const checkInvariants = (run: Run, s: Scenario): void => {
  const state = run.state;
  const quorumMet = run.eventsOf('group.quorum-met');
  const byIteration = new Map<number, number>();
  for (const e of quorumMet) {
    const iteration = state.steps.find((st) => st.stepId === e.stepId)?.iteration ?? 1;
    byIteration.set(iteration, (byIteration.get(iteration) ?? 0) + 1);
  }
  for (const count of byIteration.values()) expect(count).toBeLessThanOrEqual(1);
  for (const instance of state.groups) {
    expect(quorumMet.filter((e) => state.steps.find((st) => st.stepId === e.stepId)?.iteration === instance.iteration).length).toBe(
      instance.quorumMet ? 1 : 0,
    );
  }

  const joins = state.steps.filter((st) => st.stepId.startsWith('group_'));
  expect(new Set(joins.map((j) => j.stepId)).size).toBe(joins.length);
  for (const j of joins) expect(j.input?.kind).toBe('join');
  expect(joins.length).toBeLessThanOrEqual(2 * state.groups.filter((g) => g.quorumMet).length);
  if (s.policy !== 'joinOnQuorum' && !s.loop) expect(joins).toHaveLength(0);

  for (const st of state.steps) {
    if (st.parentStepId === null) continue;
    const parent = state.steps.find((p) => p.stepId === st.parentStepId);
    expect(parent?.status).not.toBe('cancelled');
    if (parent && (s.policy === 'joinOnQuorum' || s.loop) && parent.nodeId.startsWith('m'))
      throw new Error(`join member ${parent.stepId} fanned out`);
  }

  for (const st of state.steps) expect(isTerminalStep(st.status), `${st.stepId} is ${st.status}`).toBe(true);
  expect(['completed', 'failed']).toContain(state.status);
  expect(state.events.map((e) => e.seq)).toEqual(state.events.map((_, i) => i + 1));
  expect(JSON.parse(JSON.stringify(state))).toEqual(state);
};

describe('group property', () => {
  it('holds for random interleavings of decisions, cancellations, resolves and breaches', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const run = Run.start(definitionOf(s));
        run.runAgents();
        for (const action of s.actions) perform(run, action);
        drain(run, s);
        checkInvariants(run, s);
      }),
      { numRuns: 400 },
    );
  });
});
