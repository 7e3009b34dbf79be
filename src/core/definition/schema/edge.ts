import { z } from 'zod';
import { NodeIdSchema, WhenSourceSchema } from './ids';
import { LIMITS } from './limits';

/*
 * One schema for both edge models (docs/g3.md): the seeds' `{ from, to, when? }` and Velt's newer
 * `{ from, to, on?, when?, loop? }` with object endpoints. Which model a definition uses is decided
 * from its syntax once it has parsed (see `generation.ts`).
 */

export const NodeEndpointSchema = z.strictObject({ kind: z.literal('node'), nodeId: NodeIdSchema });
export const GroupEndpointSchema = z.strictObject({
  kind: z.literal('group'),
  groupId: z.string().min(1).max(LIMITS.groupIdMaxChars),
});
export const EdgeEndpointSchema = z
  .union([NodeIdSchema, z.discriminatedUnion('kind', [NodeEndpointSchema, GroupEndpointSchema])])
  .meta({ description: 'A node id, { kind: "node", nodeId }, or { kind: "group", groupId }.' });
export type EdgeEndpoint = z.infer<typeof EdgeEndpointSchema>;

export const EDGE_ROLES = ['approve', 'reject', 'always', 'exhausted', 'custom'] as const;
export const EdgeRoleSchema = z.enum(EDGE_ROLES);
export type EdgeRole = z.infer<typeof EdgeRoleSchema>;

export const EdgeLoopSchema = z
  .strictObject({
    maxIterations: z.number().int().min(LIMITS.maxIterations.min).max(LIMITS.maxIterations.max),
  })
  .meta({ description: 'Marks an on="reject" edge to an ancestor as a loop-back; total iterations including the first.' });

export const EdgeSchema = z
  .strictObject({
    from: EdgeEndpointSchema,
    to: EdgeEndpointSchema,
    on: EdgeRoleSchema.optional().meta({ description: 'Default "always"; a `when` without `on` reads as "custom".' }),
    when: WhenSourceSchema.nullish().meta({ description: 'Gate evaluated on the source step; only with on="custom" (or no `on`).' }),
    loop: EdgeLoopSchema.optional(),
  })
  .meta({ description: 'Directed edge; forward edges must stay acyclic (loop-backs are marked reject edges).' });
export type Edge = z.infer<typeof EdgeSchema>;
/** An edge of the seeds' model: node-id endpoints and an optional `when`. */
export type LegacyEdge = { from: string; to: string; when?: string | null | undefined };
