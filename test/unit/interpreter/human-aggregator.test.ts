import { describe, expect, it } from 'vitest';
import { def, human, Run } from './harness';

/** docs/runtime.md, "Aggregators": the human aggregator, driven through recordReviewerDecision. */

type Reply = { recorded: boolean; aggregatorStatus: string; resumeScheduled: boolean };
type Call = [reviewerId: string, decision: 'approve' | 'reject', reply: Reply];

const pending = (recorded = true): Reply => ({ recorded, aggregatorStatus: 'pending', resumeScheduled: false });
const resolved: Reply = { recorded: true, aggregatorStatus: 'resolved', resumeScheduled: true };
const rejected: Reply = { recorded: true, aggregatorStatus: 'rejected', resumeScheduled: true };

const cases: Array<{ name: string; reviewers: Array<[string, boolean]> | string[]; calls: Call[]; output: Record<string, unknown> }> = [
  {
    name: 'one mandatory approval resolves',
    reviewers: [['m1', true]],
    calls: [['m1', 'approve', resolved]],
    output: { aggregatorStatus: 'resolved', decision: 'approve', approved: true, approveCount: 1, mandatoryApproveCount: 1 },
  },
  {
    name: 'every mandatory reviewer must approve; optional approvals count but are not needed',
    reviewers: [
      ['m1', true],
      ['m2', true],
      ['o1', false],
    ],
    calls: [
      ['o1', 'approve', pending()],
      ['m1', 'approve', pending()],
      ['m2', 'approve', resolved],
    ],
    output: { aggregatorStatus: 'resolved', approveCount: 3, totalResponses: 3, mandatoryCount: 2, mandatoryApproveCount: 2 },
  },
  {
    name: 'an optional rejection rejects at once (first rejection wins)',
    reviewers: [
      ['m1', true],
      ['o1', false],
    ],
    calls: [['o1', 'reject', rejected]],
    output: { decision: 'reject', approved: false, rejectedBy: 'o1', rejectorMandatory: false, rejectCount: 1 },
  },
  {
    name: 'a mandatory rejection after an approval',
    reviewers: [
      ['m1', true],
      ['m2', true],
    ],
    calls: [
      ['m1', 'approve', pending()],
      ['m2', 'reject', rejected],
    ],
    output: { decision: 'reject', rejectedBy: 'm2', rejectorMandatory: true, approveCount: 1, rejectCount: 1, mandatoryApproveCount: 1 },
  },
  {
    name: 'a replay by the same reviewer is not applied',
    reviewers: [
      ['m1', true],
      ['m2', true],
    ],
    calls: [
      ['m1', 'approve', pending()],
      ['m1', 'reject', pending(false)],
      ['m2', 'approve', resolved],
    ],
    output: { decision: 'approve', approveCount: 2, rejectCount: 0, totalResponses: 2 },
  },
  {
    name: 'an unknown reviewer is recorded, kept, and moves no counter',
    reviewers: [['m1', true]],
    calls: [
      ['stranger', 'reject', pending()],
      ['stranger', 'reject', pending(false)],
      ['m1', 'approve', resolved],
    ],
    output: {
      decision: 'approve',
      totalResponses: 1,
      rejectCount: 0,
      unknownResponders: [{ userId: 'stranger', decision: 'reject', respondedAt: expect.any(Number) }],
    },
  },
  {
    name: 'legacy reviewerIds: every entry is mandatory',
    reviewers: ['a', 'b'],
    calls: [
      ['a', 'approve', pending()],
      ['b', 'approve', resolved],
    ],
    output: {
      reviewers: [
        { userId: 'a', mandatory: true },
        { userId: 'b', mandatory: true },
      ],
      reviewerIds: ['a', 'b'],
      mandatoryCount: 2,
    },
  },
];

describe('human aggregator', () => {
  it.each(cases)('$name', ({ reviewers, calls, output }) => {
    const run = Run.start(def({ nodes: [human('h', reviewers)] }));
    for (const [reviewerId, decision, reply] of calls) expect(run.decide('h', reviewerId, decision)).toEqual(reply);
    expect(run.step('h').output).toMatchObject(output);
    expect(run.step('h').status).toBe('completed');
  });

  it('the full human output after resume', () => {
    const run = Run.start(
      def({
        nodes: [
          {
            nodeId: 'h',
            type: 'human',
            config: {
              reviewers: [
                { userId: 'u1', mandatory: true },
                { userId: 'u2', mandatory: false },
              ],
              reviewerEmails: ['u1@x.io'],
              commentBody: 'Please review',
            },
          },
        ],
      }),
    );
    const stepId = run.id('h');
    run.advance(10).decide('h', 'u1', 'approve');
    expect(run.step('h').output).toEqual({
      reviewers: [
        { userId: 'u1', mandatory: true },
        { userId: 'u2', mandatory: false },
      ],
      reviewerIds: ['u1', 'u2'],
      reviewerEmails: ['u1@x.io'],
      commentBody: 'Please review',
      aggregatorStatus: 'resolved',
      approveCount: 1,
      rejectCount: 0,
      totalResponses: 1,
      mandatoryCount: 1,
      mandatoryApproveCount: 1,
      decision: 'approve',
      approved: true,
      resumedAt: run.now,
      resumeKey: `human:${stepId}`,
    });
  });

  it('while waiting the output has the counters but no decision', () => {
    const run = Run.start(
      def({
        nodes: [
          human('h', [
            ['m1', true],
            ['m2', true],
          ]),
        ],
      }),
    );
    run.decide('h', 'm1', 'approve');
    const output = run.step('h').output;
    expect(output).toMatchObject({ aggregatorStatus: 'pending', approveCount: 1, commentBody: null, reviewerEmails: [] });
    expect(output).not.toHaveProperty('decision');
    expect(run.step('h').status).toBe('waiting');
  });

  it('records step.response-recorded for each recorded response, step.resumed on the tipping one', () => {
    const run = Run.start(
      def({
        nodes: [
          human('h', [
            ['m1', true],
            ['m2', true],
          ]),
        ],
      }),
    );
    run.decide('h', 'm1', 'approve');
    run.decide('h', 'm1', 'approve');
    run.decide('h', 'ghost', 'approve');
    run.decide('h', 'm2', 'approve');
    expect(run.eventsOf('step.response-recorded').map((e) => e.data)).toEqual([
      { reviewerId: 'm1', decision: 'approve', known: true },
      { reviewerId: 'ghost', decision: 'approve', known: false },
      { reviewerId: 'm2', decision: 'approve', known: true },
    ]);
    expect(run.eventsOf('step.resumed')).toHaveLength(1);
  });
});
