import { z } from 'zod';
import { EdgeSchema } from './edge';
import { GroupSchema } from './group';
import { DefinitionIdSchema } from './ids';
import { LIMITS } from './limits';
import { LoopSchema } from './loop';
import { NodeSchema } from './node';
import { ScopeIdSchema, ScopeSchema, scopeIssues } from './scope';
import { TriggersSchema } from './trigger';
import { DefinitionWebhookConfigSchema } from './webhook-node-config';

export const TagSchema = z.string().min(1).max(LIMITS.tags.maxChars);

/*
 * Optional content fields accept null as "unset" (so a DefinitionView can be sent back as input);
 * in an update, null clears the stored value.
 */
const contentFields = {
  name: z.string().min(1).max(LIMITS.nameMaxChars),
  description: z.string().max(LIMITS.descriptionMaxChars).nullish(),
  scope: ScopeSchema.nullish(),
  nodes: z.array(NodeSchema).min(LIMITS.nodes.min).max(LIMITS.nodes.max),
  edges: z.array(EdgeSchema).max(LIMITS.edges.max),
  groups: z.array(GroupSchema).max(LIMITS.groups.max).nullish(),
  loops: z.array(LoopSchema).max(LIMITS.loops.max).nullish(),
  triggers: TriggersSchema.nullish(),
  tags: z.array(TagSchema).max(LIMITS.tags.max).nullish(),
  custom: z.record(z.string(), z.unknown()).nullish().meta({ description: 'Free-form metadata.' }),
  webhookConfig: DefinitionWebhookConfigSchema.nullish(),
  organizationId: ScopeIdSchema.nullish().meta({ description: 'Same as scope.organizationId; must agree with it.' }),
  documentId: ScopeIdSchema.nullish().meta({ description: 'Same as scope.documentId; must agree with it.' }),
};

export const CreateDefinitionRequestSchema = z
  .strictObject({ definitionId: DefinitionIdSchema, ...contentFields })
  .superRefine((input, ctx) => {
    for (const issue of scopeIssues(input)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .meta({ description: 'A definition as authored; validated, desugared and linted before it is stored.' });
export type CreateDefinitionRequest = z.infer<typeof CreateDefinitionRequestSchema>;
/** What a caller may send (defaults not yet applied). */
export type CreateDefinitionInput = z.input<typeof CreateDefinitionRequestSchema>;

export const UpdateDefinitionRequestSchema = z
  .strictObject({
    definitionId: DefinitionIdSchema,
    ifVersion: z.number().int().min(1).meta({ description: 'Must equal the stored version.' }),
    ...contentFields,
    name: contentFields.name.optional(),
    nodes: contentFields.nodes.optional(),
    edges: contentFields.edges.optional(),
  })
  .meta({
    description:
      'A G3 body with name, nodes and edges replaces the definition; any other body is a partial update (omitted fields keep their stored value). The result is validated like a create.',
  });
export type UpdateDefinitionRequest = z.infer<typeof UpdateDefinitionRequestSchema>;
/** What a caller may send to update (defaults not yet applied). */
export type UpdateDefinitionInput = z.input<typeof UpdateDefinitionRequestSchema>;
