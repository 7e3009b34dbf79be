import { z } from 'zod';
import { NodeIdSchema, uniqueIds } from './ids';
import { LIMITS } from './limits';

export const QuorumPolicySchema = z.enum(['waitAll', 'cancelOnQuorum', 'joinOnQuorum']);
export type QuorumPolicy = z.infer<typeof QuorumPolicySchema>;

const IdListSchema = z.array(NodeIdSchema).max(LIMITS.groupMembersMax).refine(uniqueIds, 'must not contain duplicates');

// Lower bounds of members/expectedSteps/quorum are the linter's (group-* codes), not the schema's.
export const GroupSchema = z
  .strictObject({
    groupId: z.string().min(1).max(LIMITS.groupIdMaxChars),
    memberNodeIds: IdListSchema,
    expectedSteps: z
      .number()
      .int()
      .max(LIMITS.groupExpectedStepsMax)
      .meta({ description: 'Member steps that must end before the group is done (1–500).' }),
    quorum: z.number().int().meta({ description: 'Approvals that trigger the policy (1..expectedSteps).' }),
    onQuorumMet: QuorumPolicySchema.optional().meta({ description: 'Default waitAll.' }),
    requiredNodeIds: IdListSchema.optional().meta({ description: 'Members whose approval quorum requires.' }),
  })
  .meta({ description: 'Parallel group with a quorum policy.' });
export type Group = z.infer<typeof GroupSchema>;
