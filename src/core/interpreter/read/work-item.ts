import type { ExecutionState, ReviewerResponse } from '../state';

/** Who answered on one human step so far (known reviewers and undeclared responders). */
export interface StepResponses {
  stepId: string;
  responses: ReviewerResponse[];
  unknownResponders: ReviewerResponse[];
}

/** What a reviewer needs beside the step views: the work item and each reviewer's own decision. */
export interface WorkItemResponses {
  triggerContext: Record<string, unknown>;
  humanSteps: StepResponses[];
}

/** The per-reviewer decisions the step view only counts (docs/ui.md, "The link page"). */
export const toWorkItemResponses = (state: ExecutionState): WorkItemResponses =>
  JSON.parse(
    JSON.stringify({
      triggerContext: state.triggerContext,
      humanSteps: state.steps.flatMap((step) =>
        step.human ? [{ stepId: step.stepId, responses: step.human.responses, unknownResponders: step.human.unknown }] : [],
      ),
    } satisfies WorkItemResponses),
  ) as WorkItemResponses;
