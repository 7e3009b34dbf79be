import { z } from 'zod';
import { DefinitionIdSchema } from '../requests/common';

/* Author-supplied definition model (spec §2.1–2.13, limits §2.14 and decisions §3). */

export const NodeIdSchema = z.string().min(1).max(64);
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
const WhenSourceSchema = z.string().min(1).max(4000);

const ResolutionPolicySchema = z.strictObject({
  kind: z.enum(['allResolved', 'minResolved']),
  minCount: z.number().int().min(1).max(1000).optional(),
});

export const AgentConfigSchema = z
  .strictObject({
    agentId: z.string().min(1).max(200),
    urlPath: z.string().min(1).max(500).optional(),
    promptOverride: z.string().max(8000).optional(),
    inputMapping: z.record(z.string(), z.unknown()).optional(),
    blocking: z.boolean().default(false),
    resolutionPolicy: ResolutionPolicySchema.optional(),
    agentMaxRuntimeMs: z.number().int().min(1).max(86_400_000).optional(),
    requireNonEmptyOutput: z.boolean().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.blocking && !config.resolutionPolicy) {
      ctx.addIssue({ code: 'custom', path: ['resolutionPolicy'], message: 'resolutionPolicy required when blocking === true' });
    }
    if (config.resolutionPolicy?.kind === 'minResolved' && config.resolutionPolicy.minCount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['resolutionPolicy', 'minCount'], message: 'minCount required when kind === "minResolved"' });
    }
  });

const LoopBackSchema = z.strictObject({
  toNodeId: NodeIdSchema,
  maxIterations: z.number().int().min(1).max(20).optional(),
  onExhausted: z.strictObject({ routeToNodeId: NodeIdSchema.optional() }).optional(),
  when: WhenSourceSchema.optional(),
});

export const OnRejectSchema = z
  .strictObject({ routeToNodeId: NodeIdSchema.optional(), loopBack: LoopBackSchema.optional() })
  .refine((value) => (value.routeToNodeId === undefined) !== (value.loopBack === undefined), {
    message: 'onReject takes exactly one of routeToNodeId or loopBack',
  });

export const HumanConfigSchema = z
  .strictObject({
    reviewers: z.array(z.strictObject({ userId: z.string().min(1).max(256), mandatory: z.boolean() })).min(1).max(100).optional(),
    reviewerIds: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
    reviewerEmails: z.array(z.string().min(3).max(320)).max(50).optional(),
    commentBody: z.string().max(8000).optional(),
    onReject: OnRejectSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (!config.reviewers && !config.reviewerIds) {
      ctx.addIssue({ code: 'custom', path: [], message: 'at least one of reviewerIds or reviewers must be provided' });
      return;
    }
    if (config.reviewers && config.reviewerIds) {
      ctx.addIssue({ code: 'custom', path: [], message: 'cannot set both reviewerIds and reviewers, use one' });
      return;
    }
    const ids = config.reviewers?.map((reviewer) => reviewer.userId) ?? config.reviewerIds ?? [];
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: 'custom', path: [config.reviewers ? 'reviewers' : 'reviewerIds'], message: 'reviewer userIds must be unique' });
    }
    if (config.reviewers && !config.reviewers.some((reviewer) => reviewer.mandatory)) {
      ctx.addIssue({
        code: 'custom',
        path: ['reviewers'],
        message: 'reviewers must include at least one mandatory reviewer (allMandatoryApproved would otherwise never resolve)',
      });
    }
  });

// `config` is optional here so a missing one is reported as the linter's `node-missing-config`.
const nodeBase = { nodeId: NodeIdSchema, slaMs: z.number().int().min(1).max(SEVEN_DAYS_MS).optional() };
export const NodeSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...nodeBase, type: z.literal('agent'), config: AgentConfigSchema.optional() }),
  z.strictObject({ ...nodeBase, type: z.literal('human'), config: HumanConfigSchema.optional() }),
  // Webhook nodes validate but do not run in v1 (their steps fail with webhook-node-deferred).
  z.strictObject({ ...nodeBase, type: z.literal('webhook'), config: z.record(z.string(), z.unknown()).optional() }),
]);
export type NodeInput = z.infer<typeof NodeSchema>;

export const EdgeSchema = z.strictObject({
  from: NodeIdSchema,
  to: NodeIdSchema,
  when: WhenSourceSchema.nullable().optional(),
});
export type EdgeInput = z.infer<typeof EdgeSchema>;

export const GroupSchema = z.strictObject({
  groupId: z.string().min(1).max(64),
  // Bounds below 1 are the linter's to report (group-members-empty, *-invalid codes).
  memberNodeIds: z.array(NodeIdSchema).max(500),
  expectedSteps: z.number().int().max(500),
  quorum: z.number().int().max(500),
  onQuorumMet: z.enum(['waitAll', 'cancelOnQuorum', 'joinOnQuorum']).optional(),
  requiredNodeIds: z.array(NodeIdSchema).max(500).optional(),
});
export type Group = z.infer<typeof GroupSchema>;

export const LoopSchema = z.strictObject({
  loopId: z.string().min(1).max(64),
  entryNodeId: NodeIdSchema,
  bodyNodeIds: z.array(NodeIdSchema).min(1).max(50),
  onIterationReject: z.strictObject({ when: WhenSourceSchema.optional() }).optional(),
  onExhausted: z.strictObject({ routeToNodeId: NodeIdSchema.optional() }).optional(),
  maxIterations: z.number().int().min(1).max(20),
});
export type Loop = z.infer<typeof LoopSchema>;

const ScopeIdSchema = z.string().min(1).max(256);
export const ScopeSchema = z.strictObject({
  level: z.enum(['apiKey', 'organization', 'document']),
  organizationId: ScopeIdSchema.nullable().optional(),
  documentId: ScopeIdSchema.nullable().optional(),
});

const TriggerSchema = z.strictObject({
  triggerId: z.string().min(1).max(128),
  eventName: z.string().max(128).optional(),
  filters: z.record(z.string(), z.unknown()).optional(),
});

/** Content fields shared by create and update; null clears an optional field (views echo null). */
export const contentFields = {
  name: z.string().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  scope: ScopeSchema.optional(),
  nodes: z.array(NodeSchema).min(1).max(100),
  edges: z.array(EdgeSchema).max(500),
  groups: z.array(GroupSchema).max(100).nullable().optional(),
  loops: z.array(LoopSchema).max(20).nullable().optional(),
  triggers: z.array(TriggerSchema).max(50).nullable().optional(),
  tags: z.array(z.string().max(64)).max(20).nullable().optional(),
  custom: z.record(z.string(), z.unknown()).nullable().optional(),
  organizationId: ScopeIdSchema.optional(),
  documentId: ScopeIdSchema.optional(),
};

export const DefinitionInputSchema = z.strictObject({ definitionId: DefinitionIdSchema, ...contentFields });
export type DefinitionInput = z.infer<typeof DefinitionInputSchema>;

export const CreateDefinitionRequestSchema = DefinitionInputSchema;

export const UpdateDefinitionRequestSchema = z.strictObject({
  definitionId: DefinitionIdSchema,
  ifVersion: z.number().int().min(1),
  name: contentFields.name.optional(),
  description: contentFields.description,
  scope: contentFields.scope,
  nodes: contentFields.nodes.optional(),
  edges: contentFields.edges.optional(),
  groups: contentFields.groups,
  loops: contentFields.loops,
  triggers: contentFields.triggers,
  tags: contentFields.tags,
  custom: contentFields.custom,
  organizationId: contentFields.organizationId,
  documentId: contentFields.documentId,
});
export type UpdateDefinitionRequest = z.infer<typeof UpdateDefinitionRequestSchema>;
