import { z } from 'zod';
import { NodeIdSchema, uniqueIds, WhenSourceSchema } from './ids';
import { LIMITS } from './limits';

const SYNTHESIZED_ID = /^auto_.+_loopback$/;
const SYNTHESIZED_EXTRA_CHARS = 'auto__loopback'.length;

// A synthesized id (`auto_<nodeId>_loopback`) can be longer than 64 chars; it must still parse when a view is sent back.
export const LoopIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.loopIdMaxChars + SYNTHESIZED_EXTRA_CHARS)
  .refine(
    (id) => id.length <= LIMITS.loopIdMaxChars || SYNTHESIZED_ID.test(id),
    `Too big: expected string to have <=${LIMITS.loopIdMaxChars} characters`,
  );

export const LoopSchema = z
  .strictObject({
    loopId: LoopIdSchema,
    entryNodeId: NodeIdSchema,
    bodyNodeIds: z.array(NodeIdSchema).min(1).max(LIMITS.loopBodyMax).refine(uniqueIds, 'must not contain duplicates'),
    onIterationReject: z
      .strictObject({ when: WhenSourceSchema.optional() })
      .optional()
      .meta({ description: 'Default predicate: decision == "reject" && rejectorMandatory == true.' }),
    onExhausted: z.strictObject({ routeToNodeId: NodeIdSchema.optional() }).optional(),
    maxIterations: z
      .number()
      .int()
      .min(LIMITS.maxIterations.min)
      .max(LIMITS.maxIterations.max)
      .meta({ description: 'Total iterations including the first.' }),
  })
  .meta({ description: 'Loop region: re-runs its body when the iteration-terminal is rejected.' });
export type Loop = z.infer<typeof LoopSchema>;
