import { z } from 'zod';
import { LIMITS } from './limits';

export const ResolutionPolicySchema = z
  .strictObject({
    kind: z.enum(['allResolved', 'minResolved']),
    minCount: z.number().int().min(1).max(LIMITS.minCountMax).optional(),
  })
  .superRefine((policy, ctx) => {
    if (policy.kind === 'minResolved' && policy.minCount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minCount'], message: 'minCount required when kind === "minResolved"' });
    }
  })
  .meta({ description: 'How a blocking agent step resolves from external resolutions.' });
export type ResolutionPolicy = z.infer<typeof ResolutionPolicySchema>;

export { MOCK_AGENT_ID } from './mock-agent';

export const AgentConfigSchema = z
  .strictObject({
    agentId: z.string().min(1).max(LIMITS.agentIdMaxChars).meta({ description: '`__mock__` runs a synthetic agent.' }),
    url: z
      .string()
      .min(1)
      .max(LIMITS.agentUrlMaxChars)
      .optional()
      .meta({ description: 'A fixed URL for the agent to work on; wins over urlPath.' }),
    urlPath: z
      .string()
      .min(1)
      .max(LIMITS.urlPathMaxChars)
      .optional()
      .meta({ description: 'Dot-path into triggerContext yielding the URL the agent works on.' }),
    crossPageExecute: z.boolean().optional().meta({ description: 'Let the agent go beyond the seed URL (default false).' }),
    maxUrlsToProcess: z.number().int().min(1).max(LIMITS.maxUrlsToProcess).optional(),
    userContextMapping: z
      .record(z.string().min(1).max(LIMITS.userContextFieldMaxChars), z.string().min(1).max(LIMITS.urlPathMaxChars))
      .refine((mapping) => Object.keys(mapping).length <= LIMITS.userContextMappingMax, {
        message: `at most ${LIMITS.userContextMappingMax} fields`,
      })
      .optional()
      .meta({ description: "{ field: dotPath }: builds the agent's userContext from triggerContext." }),
    pollIntervalMs: z
      .number()
      .int()
      .min(LIMITS.pollIntervalMs.min)
      .max(LIMITS.pollIntervalMs.max)
      .optional()
      .meta({ description: 'Reported with a waiting agent step and passed to the agent; default 15000.' }),
    promptOverride: z.string().max(LIMITS.promptOverrideMaxChars).optional(),
    inputMapping: z.record(z.string(), z.unknown()).optional(),
    blocking: z.boolean().default(false),
    resolutionPolicy: ResolutionPolicySchema.optional(),
    agentMaxRuntimeMs: z
      .number()
      .int()
      .min(1)
      .max(LIMITS.agentMaxRuntimeMs)
      .optional()
      .meta({ description: 'Hard runtime ceiling in ms; default 1800000 (30 minutes), 600000 (10 minutes) in G3 definitions.' }),
    requireNonEmptyOutput: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.blocking && config.resolutionPolicy === undefined) {
      ctx.addIssue({ code: 'custom', path: ['resolutionPolicy'], message: 'resolutionPolicy required when blocking === true' });
    }
  });
export type AgentConfig = z.infer<typeof AgentConfigSchema>;
