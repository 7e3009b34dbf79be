import type { StepView } from '../../core/interpreter';
import type { ReviewerLinks } from '../../infra/ui/reviewer-links';
import { reviewerLinksForStep } from '../../infra/ui/step-links';
import type { DeliverableEvent } from '../contract';

export interface RunAddress {
  workspaceId: string;
  executionId: string;
}

/** Reads the run's current steps (the delivery activity asks the execution workflow). */
export type ReadSteps = () => Promise<readonly StepView[]>;

/**
 * `step.awaiting-approval` of a human step gains `reviewerLinks` (docs/ui.md, "Reviewer links").
 * Links are minted here, where the secrets key lives, never in workflow code; they are a function
 * of the step alone, so every retry of the delivery carries the same body.
 */
export const withReviewerLinks = async (
  event: DeliverableEvent,
  links: ReviewerLinks,
  run: RunAddress,
  readSteps: ReadSteps,
): Promise<DeliverableEvent> => {
  if (event.type !== 'step.awaiting-approval' || event.stepId === null) return event;
  const step = (await readSteps()).find((candidate) => candidate.stepId === event.stepId);
  const reviewerLinks = step ? reviewerLinksForStep(links, run, step) : null;
  if (!reviewerLinks) return event;
  return { ...event, data: { ...event.data, reviewerLinks } };
};
