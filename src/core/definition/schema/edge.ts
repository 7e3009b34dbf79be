import { z } from 'zod';
import { NodeIdSchema, WhenSourceSchema } from './ids';

export const EdgeSchema = z
  .strictObject({
    from: NodeIdSchema,
    to: NodeIdSchema,
    when: WhenSourceSchema.nullish().meta({ description: 'Gate evaluated on the source step; absent or null fires always.' }),
  })
  .meta({ description: 'Directed edge; edges[] must stay acyclic.' });
export type Edge = z.infer<typeof EdgeSchema>;
