import { completedData, finishStep } from '../steps/finish';
import type { AggregatorReply, ReviewerDecisionRecorded } from '../happenings';
import { isReviewer, recordResponse, refreshHumanOutput, resumeHumanOutput } from '../steps/human-aggregator';
import type { Tx } from '../transaction';
import { checkReviewerDecision } from '../validators';

/** `/steps/recordReviewerDecision` (spec §5.11, §4.6). */
export const onReviewerDecision = (tx: Tx, h: ReviewerDecisionRecorded): AggregatorReply => {
  const error = checkReviewerDecision(tx.state, h);
  if (error) throw error;
  const step = tx.step(h.stepId);
  const agg = step.human;
  if (!agg) throw new Error(`interpreter: human step ${step.stepId} has no aggregate`);
  const unchanged: AggregatorReply = { recorded: false, aggregatorStatus: agg.status, resumeScheduled: false };
  if (step.status !== 'waiting') return unchanged;
  const known = isReviewer(agg, h.reviewerId);
  const { recorded, tipped } = recordResponse(agg, {
    reviewerId: h.reviewerId,
    decision: h.decision,
    reason: h.reason ?? null,
    at: tx.now,
  });
  if (!recorded) return unchanged;
  tx.emit('step.response-recorded', step.stepId, { reviewerId: h.reviewerId, decision: h.decision, known });
  refreshHumanOutput(step);
  if (tipped) {
    resumeHumanOutput(step, tx.now);
    tx.emit('step.resumed', step.stepId, { aggregatorStatus: agg.status });
    finishStep(tx, step, { status: 'completed', data: completedData(step, true) });
  }
  return { recorded: true, aggregatorStatus: agg.status, resumeScheduled: tipped };
};
