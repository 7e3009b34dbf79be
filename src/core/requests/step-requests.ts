import { z } from 'zod';
import { jsonPayloadBytes } from '../limits/payload-size';
import { MAX_RESOLUTION_OUTPUT_BYTES, resolutionOutputTooLarge } from '../limits/output-size';
import { ActorIdSchema, ExecutionIdSchema, MAX_OUTPUT_VALUE_CHARS, serializedLength, StepIdSchema, TokenIdSchema } from './common';

const stepAddress = { executionId: ExecutionIdSchema, stepId: StepIdSchema };

export const RecordReviewerDecisionRequestSchema = z.strictObject({
  ...stepAddress,
  reviewerId: z.string().min(1).max(256),
  decision: z.enum(['approve', 'reject']),
  reason: z.string().max(2000).optional(),
});
export type RecordReviewerDecisionRequest = z.infer<typeof RecordReviewerDecisionRequestSchema>;

const ResolutionOutputSchema = z
  .record(z.string(), z.unknown())
  .refine(
    (output) => Object.values(output).every((value) => serializedLength(value) <= MAX_OUTPUT_VALUE_CHARS),
    'each value must be at most 16k characters',
  )
  .superRefine((output, ctx) => {
    // The whole output too (docs/behaviour.md, "Output caps").
    const bytes = jsonPayloadBytes(output);
    if (bytes > MAX_RESOLUTION_OUTPUT_BYTES) ctx.addIssue({ code: 'custom', message: resolutionOutputTooLarge(bytes) });
  });

/** G2 body (the seed). */
const G2ResolutionSchema = z
  .strictObject({
    ...stepAddress,
    resolutionId: TokenIdSchema,
    status: z.enum(['success', 'failure']),
    output: ResolutionOutputSchema.optional(),
    errorMessage: z.string().min(1).max(2000).optional(),
  })
  .superRefine((data, ctx) => {
    if (data.status === 'failure' && data.errorMessage === undefined) {
      ctx.addIssue({ code: 'custom', path: ['errorMessage'], message: 'errorMessage required when status === "failure"' });
    }
  });

/** G1/G3 body (both are accepted: docs/api.md, "steps/recordAgentResolution"). */
const G1ResolutionSchema = z.strictObject({
  ...stepAddress,
  responseId: z.string().min(1).max(200),
  resolution: z.enum(['resolved', 'rejected']),
  actorId: ActorIdSchema,
  reason: z.string().max(2000).optional(),
});

export interface NormalizedAgentResolution {
  executionId: string;
  stepId: string;
  resolutionId: string;
  status: 'success' | 'failure';
  output: Record<string, unknown>;
  errorMessage: string | null;
  actorId: string | null;
}

const normalize = (data: z.infer<typeof G2ResolutionSchema> | z.infer<typeof G1ResolutionSchema>): NormalizedAgentResolution =>
  'resolutionId' in data
    ? {
        executionId: data.executionId,
        stepId: data.stepId,
        resolutionId: data.resolutionId,
        status: data.status,
        output: data.output ?? {},
        errorMessage: data.errorMessage ?? null,
        actorId: null,
      }
    : {
        executionId: data.executionId,
        stepId: data.stepId,
        resolutionId: data.responseId,
        status: data.resolution === 'resolved' ? 'success' : 'failure',
        output: {},
        errorMessage: data.resolution === 'rejected' ? (data.reason ?? 'rejected') : null,
        actorId: data.actorId,
      };

const isG1Shape = (data: unknown): boolean => typeof data === 'object' && data !== null && ('responseId' in data || 'resolution' in data);

/** For the API description: either body shape. */
export const RecordAgentResolutionDocSchema = z.union([G2ResolutionSchema, G1ResolutionSchema]);

/**
 * The shape is chosen first, so errors name the fields of the shape the caller meant
 * (a plain union would only say that neither matched).
 */
export const RecordAgentResolutionRequestSchema = z.unknown().transform((data, ctx): NormalizedAgentResolution => {
  const parsed = (isG1Shape(data) ? G1ResolutionSchema : G2ResolutionSchema).safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
    return z.NEVER;
  }
  return normalize(parsed.data);
});

export const CancelStepRequestSchema = z.strictObject({
  ...stepAddress,
  actorId: ActorIdSchema,
  reason: z.string().max(500).optional(),
});
export type CancelStepRequest = z.infer<typeof CancelStepRequestSchema>;

export const RESOLVE_ACTIONS = [
  'force-approve',
  'force-reject',
  'force-complete',
  'force-fail',
  'reviewer-approve',
  'reviewer-reject',
] as const;
export type ResolveAction = (typeof RESOLVE_ACTIONS)[number];

export const ResolveStepRequestSchema = z.strictObject({
  ...stepAddress,
  action: z.enum(RESOLVE_ACTIONS),
  actorId: ActorIdSchema,
  output: ResolutionOutputSchema.optional(),
  reason: z.string().max(2000).optional(),
});
export type ResolveStepRequest = z.infer<typeof ResolveStepRequestSchema>;
