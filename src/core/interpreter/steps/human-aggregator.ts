import { humanResumeKey } from '../ids';
import type { HumanSpec } from '../plan';
import type { Decision, HumanAggregate, ReviewerResponse, StepState } from '../state';

/** The human aggregator (docs/runtime.md, "Aggregators"), plus the human step output (docs/api.md, "Runtime views"). */

export const openAggregate = (spec: HumanSpec): HumanAggregate => ({
  reviewers: spec.reviewers.map((r) => ({ userId: r.userId, mandatory: r.mandatory })),
  responses: [],
  unknown: [],
  status: 'pending',
});

export const mandatoryCount = (agg: HumanAggregate): number => agg.reviewers.filter((r) => r.mandatory).length;

const counters = (agg: HumanAggregate): Record<string, number> => {
  const mandatory = new Set(agg.reviewers.filter((r) => r.mandatory).map((r) => r.userId));
  return {
    approveCount: agg.responses.filter((r) => r.decision === 'approve').length,
    rejectCount: agg.responses.filter((r) => r.decision === 'reject').length,
    totalResponses: agg.responses.length,
    mandatoryCount: mandatory.size,
    mandatoryApproveCount: agg.responses.filter((r) => r.decision === 'approve' && mandatory.has(r.reviewerId)).length,
  };
};

/** The output while the step waits: the static part plus counters (no decision yet). */
export const openHumanOutput = (spec: HumanSpec, agg: HumanAggregate, stepId: string): Record<string, unknown> => ({
  reviewers: agg.reviewers.map((r) => ({ userId: r.userId, mandatory: r.mandatory })),
  reviewerIds: agg.reviewers.map((r) => r.userId),
  reviewerEmails: [...spec.reviewerEmails],
  commentBody: spec.commentBody,
  aggregatorStatus: agg.status,
  ...counters(agg),
  resumeKey: humanResumeKey(stepId),
});

export const isReviewer = (agg: HumanAggregate, userId: string): boolean => agg.reviewers.some((r) => r.userId === userId);

export const hasResponded = (agg: HumanAggregate, userId: string): boolean =>
  agg.responses.some((r) => r.reviewerId === userId) || agg.unknown.some((r) => r.reviewerId === userId);

/** Keeps an undeclared userId's first response in the audit list (`output.unknownResponders`); it moves no counter. */
export const keepUnknownResponder = (agg: HumanAggregate, response: ReviewerResponse): boolean => {
  if (hasResponded(agg, response.reviewerId)) return false;
  agg.unknown.push(response);
  return true;
};

/**
 * Records one response. A repeat from the same userId is not applied (`recorded: false`); an
 * undeclared userId is kept as an unknown responder and moves no counter. `tipped` is true when
 * this response turned the aggregator terminal.
 */
export const recordResponse = (agg: HumanAggregate, response: ReviewerResponse): { recorded: boolean; tipped: boolean } => {
  if (hasResponded(agg, response.reviewerId)) return { recorded: false, tipped: false };
  const reviewer = agg.reviewers.find((r) => r.userId === response.reviewerId);
  if (!reviewer) {
    keepUnknownResponder(agg, response);
    return { recorded: true, tipped: false };
  }
  agg.responses.push(response);
  if (agg.status !== 'pending') return { recorded: true, tipped: false };
  if (response.decision === 'reject') {
    agg.status = 'rejected';
    return { recorded: true, tipped: true };
  }
  const approved = new Set(agg.responses.filter((r) => r.decision === 'approve').map((r) => r.reviewerId));
  if (agg.reviewers.filter((r) => r.mandatory).every((r) => approved.has(r.userId))) {
    agg.status = 'resolved';
    return { recorded: true, tipped: true };
  }
  return { recorded: true, tipped: false };
};

/** Rewrites the counters (and unknown responders) into the step's output. */
export const refreshHumanOutput = (step: StepState): void => {
  const agg = step.human;
  if (!agg) return;
  Object.assign(step.output, { aggregatorStatus: agg.status }, counters(agg));
  if (agg.unknown.length > 0) {
    step.output.unknownResponders = agg.unknown.map((r) => ({ userId: r.reviewerId, decision: r.decision, respondedAt: r.at }));
  }
};

/** The natural resume (recordReviewerDecision tipped the aggregator). */
export const resumeHumanOutput = (step: StepState, now: number): void => {
  const agg = step.human;
  if (!agg) return;
  refreshHumanOutput(step);
  const decision: Decision = agg.status === 'rejected' ? 'reject' : 'approve';
  Object.assign(step.output, { decision, approved: decision === 'approve', resumedAt: now });
  if (decision === 'reject') {
    const rejection = agg.responses.find((r) => r.decision === 'reject');
    const mandatory = agg.reviewers.find((r) => r.userId === rejection?.reviewerId)?.mandatory ?? false;
    Object.assign(step.output, {
      rejectedBy: rejection?.reviewerId ?? null,
      rejectorMandatory: mandatory,
      rejectionReason: rejection?.reason ?? null,
    });
  }
};
