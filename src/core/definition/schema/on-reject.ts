import { z } from 'zod';
import { NodeIdSchema, WhenSourceSchema } from './ids';
import { LIMITS } from './limits';

export const LoopBackSchema = z
  .strictObject({
    toNodeId: NodeIdSchema.meta({ description: 'Entry node of the synthesized loop.' }),
    maxIterations: z
      .number()
      .int()
      .min(LIMITS.maxIterations.min)
      .max(LIMITS.maxIterations.max)
      .optional()
      .meta({ description: 'Total iterations including the first; default 5.' }),
    onExhausted: z.strictObject({ routeToNodeId: NodeIdSchema.optional() }).optional(),
    when: WhenSourceSchema.optional().meta({ description: 'Custom iteration-reject predicate; default: a mandatory reviewer rejected.' }),
  })
  .meta({ description: 'Form B: synthesizes the loop `auto_<nodeId>_loopback`.' });
export type LoopBack = z.infer<typeof LoopBackSchema>;

export const OnRejectSchema = z
  .strictObject({
    routeToNodeId: NodeIdSchema.optional().meta({ description: 'Form A: synthesizes a reject-gated edge to this node.' }),
    loopBack: LoopBackSchema.optional(),
  })
  .superRefine((onReject, ctx) => {
    if (onReject.routeToNodeId !== undefined && onReject.loopBack !== undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'cannot set both routeToNodeId and loopBack, use one' });
    } else if (onReject.routeToNodeId === undefined && onReject.loopBack === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'one of routeToNodeId or loopBack must be provided' });
    }
  })
  .meta({ description: 'Rejection routing shorthand (human nodes only); removed from the stored definition once desugared.' });
export type OnReject = z.infer<typeof OnRejectSchema>;
