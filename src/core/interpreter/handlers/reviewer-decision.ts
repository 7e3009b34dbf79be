import { completedData, finishStep } from '../steps/finish';
import type { AggregatorReply, DecisionRejectionReason, ReviewerDecisionRecorded } from '../happenings';
import {
  hasResponded,
  isReviewer,
  keepUnknownResponder,
  recordResponse,
  refreshHumanOutput,
  resumeHumanOutput,
} from '../steps/human-aggregator';
import type { HumanAggregate, ReviewerResponse, StepState } from '../state';
import type { Tx } from '../transaction';
import { checkReviewerDecision } from '../validators';

/**
 * G3 reading (docs/behaviour.md, "G3 runtime"): an undeclared reviewerId is discarded with
 * `unknown-responder` (kept only in the audit list `output.unknownResponders`), and every
 * `recorded: false` says why.
 */
const g3Decision = (tx: Tx, step: StepState, agg: HumanAggregate, response: ReviewerResponse): AggregatorReply => {
  const notRecorded = (rejectionReason: DecisionRejectionReason): AggregatorReply => ({
    recorded: false,
    aggregatorStatus: agg.status,
    resumeScheduled: false,
    rejectionReason,
  });
  if (!isReviewer(agg, response.reviewerId)) {
    if (step.status === 'waiting' && keepUnknownResponder(agg, response)) {
      tx.emit('step.response-recorded', step.stepId, { reviewerId: response.reviewerId, decision: response.decision, known: false });
      refreshHumanOutput(step);
    }
    return notRecorded('unknown-responder');
  }
  if (hasResponded(agg, response.reviewerId)) return notRecorded('idempotent');
  if (step.status !== 'waiting') return notRecorded('already-terminal');
  return recordAndMaybeResume(tx, step, agg, response);
};

const recordAndMaybeResume = (tx: Tx, step: StepState, agg: HumanAggregate, response: ReviewerResponse): AggregatorReply => {
  const known = isReviewer(agg, response.reviewerId);
  const { recorded, tipped } = recordResponse(agg, response);
  if (!recorded) return { recorded: false, aggregatorStatus: agg.status, resumeScheduled: false };
  tx.emit('step.response-recorded', step.stepId, { reviewerId: response.reviewerId, decision: response.decision, known });
  refreshHumanOutput(step);
  if (tipped) {
    resumeHumanOutput(step, tx.now);
    tx.emit('step.resumed', step.stepId, { aggregatorStatus: agg.status });
    finishStep(tx, step, { status: 'completed', data: completedData(step, true) });
  }
  return { recorded: true, aggregatorStatus: agg.status, resumeScheduled: tipped };
};

/** `/steps/recordReviewerDecision` (docs/runtime.md, "Aggregators"). */
export const onReviewerDecision = (tx: Tx, h: ReviewerDecisionRecorded): AggregatorReply => {
  const error = checkReviewerDecision(tx.state, h, tx.plan.generation);
  if (error) throw error;
  const step = tx.step(h.stepId);
  const agg = step.human;
  if (!agg) throw new Error(`interpreter: human step ${step.stepId} has no aggregate`);
  const response: ReviewerResponse = { reviewerId: h.reviewerId, decision: h.decision, reason: h.reason ?? null, at: tx.now };
  if (tx.plan.generation === 'g3') return g3Decision(tx, step, agg, response);
  // G2 (docs/behaviour.md, "recordReviewerDecision"): an undeclared reviewerId is recorded (`recorded: true`) as an unknown responder.
  if (step.status !== 'waiting') return { recorded: false, aggregatorStatus: agg.status, resumeScheduled: false };
  return recordAndMaybeResume(tx, step, agg, response);
};
