import { Context } from '@temporalio/activity';
import type { SecretBox } from '../../infra/secrets/secret-box';
import { serializeWebhookBody } from '../body';
import type { DeliverWebhookInput, DeliveryAttemptResult } from '../contract';
import type { ReviewerLinks } from '../../infra/ui/reviewer-links';
import { deliverOnce } from './deliver-once';
import { withReviewerLinks, type ReadSteps, type RunAddress } from './reviewer-link-data';

export interface DeliverWebhookDeps {
  secretBox: SecretBox | undefined;
  allowPrivateTargets: boolean;
  /** Set when APPROVAL_PUBLIC_URL is: `step.awaiting-approval` then carries reviewer links. */
  reviewerLinks?: ReviewerLinks | undefined;
  /** The run being delivered for, and a reader of its steps (from the activity context). */
  currentRun?: () => { address: RunAddress; readSteps: ReadSteps };
}

/** The activity's logger (the worker's log); nothing outside an activity (direct calls in tests). */
const logAttemptDetail = (input: DeliverWebhookInput) => (detail: string) => {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return;
  }
  context.log.warn('webhook delivery attempt failed', {
    executionId: input.executionId,
    eventId: input.event.eventId,
    attempt: input.attempt,
    detail,
  });
};

/**
 * The deliverWebhook activity: one delivery attempt. It never throws: the workflow decides about retries and dead letters from
 * the result, and the secret never leaves this function (not even in a failure message).
 */
export const createDeliverWebhook =
  ({ secretBox, allowPrivateTargets, reviewerLinks, currentRun }: DeliverWebhookDeps) =>
  async (input: DeliverWebhookInput): Promise<DeliveryAttemptResult> => {
    if (!secretBox) {
      return { ok: false, reason: 'activity-failed', message: 'APPROVAL_SECRETS_KEY is not configured on the worker' };
    }
    let secret: string;
    let previousSecret: string | undefined;
    try {
      secret = secretBox.open(input.sealedSecret);
      previousSecret = input.sealedPreviousSecret === undefined ? undefined : secretBox.open(input.sealedPreviousSecret);
    } catch {
      return {
        ok: false,
        reason: 'activity-failed',
        message: "the webhook secret cannot be opened with this worker's APPROVAL_SECRETS_KEY",
      };
    }
    let event = input.event;
    if (reviewerLinks && currentRun && event.type === 'step.awaiting-approval') {
      try {
        const run = currentRun();
        event = await withReviewerLinks(event, reviewerLinks, run.address, run.readSteps);
      } catch (error) {
        // Retried on the delivery schedule: a body without its links would differ from the retry's.
        return {
          ok: false,
          reason: 'activity-failed',
          message: `cannot read the step to mint reviewer links: ${(error as Error).message}`,
        };
      }
    }
    return deliverOnce({
      url: input.url,
      secret,
      previousSecret,
      body: serializeWebhookBody(event, { executionId: input.executionId, definitionId: input.definitionId }),
      eventId: input.event.eventId,
      attempt: input.attempt,
      allowPrivate: allowPrivateTargets,
      logDetail: logAttemptDetail(input),
    });
  };
