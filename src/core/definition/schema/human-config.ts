import { z } from 'zod';
import { LIMITS } from './limits';
import { OnRejectSchema } from './on-reject';

export const HUMAN_CONFIG_MESSAGES = {
  noReviewers: 'at least one of reviewerIds or reviewers must be provided',
  bothReviewerForms: 'cannot set both reviewerIds and reviewers, use one',
  duplicateReviewer: 'reviewer userIds must be unique',
  noMandatoryReviewer: 'reviewers must include at least one mandatory reviewer (allMandatoryApproved would otherwise never resolve)',
} as const;

const UserIdSchema = z.string().min(1).max(LIMITS.userIdMaxChars);

export const ReviewerSchema = z.strictObject({ userId: UserIdSchema, mandatory: z.boolean() });
export type Reviewer = z.infer<typeof ReviewerSchema>;

// Deliberately loose: the engine only copies these to the step output, it never sends mail.
const EmailSchema = z
  .string()
  .max(LIMITS.emailMaxChars)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

export const HumanConfigSchema = z
  .strictObject({
    reviewers: z
      .array(ReviewerSchema)
      .max(LIMITS.reviewersMax)
      .optional()
      .meta({ description: 'Preferred form; at least one mandatory reviewer, unique userIds.' }),
    reviewerIds: z
      .array(UserIdSchema)
      .min(1)
      .max(LIMITS.reviewersMax)
      .optional()
      .meta({ description: 'Legacy form; every entry counts as mandatory.' }),
    reviewerEmails: z.array(EmailSchema).max(LIMITS.reviewerEmailsMax).optional(),
    commentBody: z.string().max(LIMITS.commentBodyMaxChars).optional(),
    onReject: OnRejectSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const { reviewers, reviewerIds } = config;
    if (reviewers === undefined && reviewerIds === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: HUMAN_CONFIG_MESSAGES.noReviewers });
      return;
    }
    if (reviewers !== undefined && reviewerIds !== undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: HUMAN_CONFIG_MESSAGES.bothReviewerForms });
      return;
    }
    const field = reviewers !== undefined ? 'reviewers' : 'reviewerIds';
    const ids = reviewers?.map((reviewer) => reviewer.userId) ?? reviewerIds ?? [];
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', path: [field], message: HUMAN_CONFIG_MESSAGES.duplicateReviewer });
    }
    if (reviewers !== undefined && !reviewers.some((reviewer) => reviewer.mandatory)) {
      ctx.addIssue({ code: 'custom', path: ['reviewers'], message: HUMAN_CONFIG_MESSAGES.noMandatoryReviewer });
    }
  });
export type HumanConfig = z.infer<typeof HumanConfigSchema>;
