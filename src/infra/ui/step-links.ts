import type { ReviewerLink, ReviewerLinks } from './reviewer-links';

/** The parts of a step view that decide its links. */
export interface LinkableStep {
  stepId: string;
  nodeType: string;
  status: string;
  startedAt: number | null;
  output: Record<string, unknown>;
}

const reviewerIdsOf = (step: LinkableStep): string[] | null => {
  const ids = step.output.reviewerIds;
  return Array.isArray(ids) && ids.every((id): id is string => typeof id === 'string') ? ids : null;
};

/**
 * One link per declared reviewer of a human step (docs/ui.md, "Reviewer links"); null for any
 * other step. Whether the step still waits is the caller's question: the webhook mints them for
 * the step as it started waiting, the step view only while it waits.
 */
export const reviewerLinksForStep = (
  links: ReviewerLinks,
  run: { workspaceId: string; executionId: string },
  step: LinkableStep,
): ReviewerLink[] | null => {
  const reviewerIds = step.nodeType === 'human' ? reviewerIdsOf(step) : null;
  if (!reviewerIds || step.startedAt === null) return null;
  const waitingSince = step.startedAt;
  return reviewerIds.map((reviewerId) => links.mint({ ...run, stepId: step.stepId, reviewerId }, waitingSince));
};

/** An execution view whose waiting human steps carry `reviewerLinks` (the step view of docs/ui.md). */
export const withWaitingStepLinks = <V extends { executionId: string; steps: LinkableStep[] }>(
  view: V,
  links: ReviewerLinks,
  workspaceId: string,
): V => ({
  ...view,
  steps: view.steps.map((step) => {
    const reviewerLinks =
      step.status === 'waiting' ? reviewerLinksForStep(links, { workspaceId, executionId: view.executionId }, step) : null;
    return reviewerLinks ? { ...step, reviewerLinks } : step;
  }),
});
