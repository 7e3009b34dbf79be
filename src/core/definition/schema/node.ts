import { z } from 'zod';
import { AgentConfigSchema } from './agent-config';
import { HumanConfigSchema } from './human-config';
import { NodeIdSchema } from './ids';
import { LIMITS } from './limits';
import { WebhookNodeConfigSchema, type WebhookNodeConfig } from './webhook-node-config';

/** A live webhook node's config (docs/inbound.md, "Webhook nodes"). */
export const WebhookConfigSchema = WebhookNodeConfigSchema;
export type WebhookConfig = WebhookNodeConfig;

export const SlaMsSchema = z
  .number()
  .int()
  .min(1)
  .max(LIMITS.slaMsMax)
  .meta({ description: 'Step deadline in ms (≤ 7 days); needs an outgoing edge routing on step.status == "breached".' });

// `config` may be absent (or null) here so that the linter can report it as `node-missing-config`.
const common = {
  nodeId: NodeIdSchema,
  slaMs: SlaMsSchema.optional(),
  name: z
    .string()
    .min(1)
    .max(LIMITS.nameMaxChars)
    .optional()
    .meta({ description: 'Cosmetic label, echoed; absent from the view when unset.' }),
  description: z
    .string()
    .max(LIMITS.descriptionMaxChars)
    .optional()
    .meta({ description: 'Cosmetic, echoed; absent from the view when unset.' }),
  requireNonEmptyOutput: z.boolean().optional().meta({ description: 'Node-level flag (docs/g3.md); accepted on every node type.' }),
};

export const AgentNodeSchema = z.strictObject({ ...common, type: z.literal('agent'), config: AgentConfigSchema.nullish() });
export const HumanNodeSchema = z.strictObject({ ...common, type: z.literal('human'), config: HumanConfigSchema.nullish() });
export const WebhookNodeSchema = z.strictObject({ ...common, type: z.literal('webhook'), config: WebhookConfigSchema.nullish() });

export const NodeSchema = z.discriminatedUnion('type', [AgentNodeSchema, HumanNodeSchema, WebhookNodeSchema]);
export type AgentNode = z.infer<typeof AgentNodeSchema>;
export type HumanNode = z.infer<typeof HumanNodeSchema>;
export type WebhookNode = z.infer<typeof WebhookNodeSchema>;
export type Node = z.infer<typeof NodeSchema>;
export type NodeType = Node['type'];
