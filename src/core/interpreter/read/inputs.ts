import type { AttemptRecord, ExecutionState, StepInputRef } from '../state';

/** A `previousAttempts` entry (docs/api.md, "Runtime views"). */
export interface PreviousAttempt {
  iteration: number;
  authorOutput: Record<string, unknown>;
  rejectedBy: string | null;
  rejectorMandatory: boolean;
  rejectionReason: string | null;
  rejectedAt: number;
}

const toPreviousAttempt = (state: ExecutionState, attempt: AttemptRecord): PreviousAttempt => ({
  iteration: attempt.iteration,
  authorOutput: state.steps.find((s) => s.stepId === attempt.stepId)?.output ?? {},
  rejectedBy: attempt.rejectedBy,
  rejectorMandatory: attempt.rejectorMandatory,
  rejectionReason: attempt.rejectionReason,
  rejectedAt: attempt.rejectedAt,
});

/**
 * Materializes a step's input from its reference. Loop inputs (`previousAttempts`) live once in
 * the loop's state and joins' `groupOutputs` in the members' outputs, so a long loop does not
 * copy every earlier attempt into every entry step.
 */
export const materializeInput = (state: ExecutionState, ref: StepInputRef | null): Record<string, unknown> | null => {
  if (ref === null) return null;
  switch (ref.kind) {
    case 'loop': {
      const loop = state.loops.find((l) => l.loopId === ref.loopId);
      return {
        iteration: ref.iteration,
        loopId: ref.loopId,
        previousAttempts: (loop?.attempts ?? []).filter((a) => a.iteration < ref.iteration).map((a) => toPreviousAttempt(state, a)),
      };
    }
    case 'exhausted': {
      const loop = state.loops.find((l) => l.loopId === ref.loopId);
      return {
        iteration: loop?.iteration ?? 1,
        loopId: ref.loopId,
        previousAttempts: (loop?.attempts ?? []).map((a) => toPreviousAttempt(state, a)),
      };
    }
    case 'join': {
      const instance = state.groups.find((g) => g.groupId === ref.groupId && g.iteration === ref.iteration);
      const groupOutputs: Record<string, unknown> = {};
      for (const stepId of instance?.joinedStepIds ?? []) {
        const member = state.steps.find((s) => s.stepId === stepId);
        if (member) groupOutputs[member.nodeId] = member.output;
      }
      return {
        groupOutputs,
        groupId: ref.groupId,
        quorum: instance?.quorum ?? 0,
        totalApproved: instance?.approvedStepIds.length ?? 0,
      };
    }
  }
};
