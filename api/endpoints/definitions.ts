import { z } from 'zod';
import {
  CreateDefinitionRequestSchema,
  generationOf,
  ScopeIdSchema,
  addressable,
  checkVersion,
  isFullReplace,
  mergeDefinitionUpdate,
  toDefinitionView,
  UpdateDefinitionRequestSchema,
  validateDefinition,
} from '../../src/core/definition';
import type { CanonicalDefinition, UpdateDefinitionInput } from '../../src/core/definition';
import { checkWebhookNodeUrls, sealWebhookConfig, updatedWebhookConfig, withWebhookConfig } from '../../src/infra/definition-webhooks';
import { DefinitionIdSchema, PageSizeSchema } from '../../src/core/requests/common';
import { refuseAppTriggers, sealTriggerSecrets } from '../../src/core/triggers/trigger-secrets';
import { defineEndpoint, type EndpointContext } from '../endpoint';

const ScopeIdsSchema = {
  organizationId: ScopeIdSchema.optional(),
  documentId: ScopeIdSchema.optional(),
};

/** Runs the whole write-time pipeline; the canonical form is what the entity workflow stores. */
const canonical = (input: unknown): CanonicalDefinition => {
  const result = validateDefinition(input);
  if (!result.ok) throw result.error;
  return result.definition;
};

/** Triggers as stored (docs/inbound.md): appTrigger refused, inbound secrets sealed beside the definition. */
const withTriggers = (
  content: CanonicalDefinition,
  stored: CanonicalDefinition | null,
  { services }: Pick<EndpointContext, 'services'>,
): CanonicalDefinition => {
  refuseAppTriggers(content);
  const box = services.secretBox;
  return sealTriggerSecrets(content, stored, box ? (secret) => box.seal(secret) : undefined);
};

export const createDefinition = defineEndpoint({
  path: '/v2/workflow/definitions/create',
  summary: 'Register a definition (validated, desugared and linted) as version 1',
  request: CreateDefinitionRequestSchema,
  // The body as sent: a G3 definition's edges are stored and echoed verbatim (docs/g3.md).
  handle: async (data, { principal, services, raw }) => {
    const workspaceId = principal.workspace.workspaceId;
    const content = canonical(raw);
    checkWebhookNodeUrls(content, services);
    const webhookConfig = data.webhookConfig ? sealWebhookConfig(data.webhookConfig, services) : undefined;
    const created = await services.definitions.create(
      workspaceId,
      withWebhookConfig(withTriggers(content, null, { services }), webhookConfig),
    );
    await services.schedules.sync(workspaceId, null, created);
    return toDefinitionView(created);
  },
});

export const updateDefinition = defineEndpoint({
  path: '/v2/workflow/definitions/update',
  summary: 'Update a definition (a G3 body with name, nodes and edges replaces it; others merge); ifVersion must equal the stored version',
  request: UpdateDefinitionRequestSchema,
  handle: async (data, { principal, services, raw }) => {
    const workspaceId = principal.workspace.workspaceId;
    const stored = await services.definitions.getActive(workspaceId, data.definitionId);
    checkVersion(stored, data.ifVersion);
    const update = raw as UpdateDefinitionInput;
    const content = withTriggers(canonical(mergeDefinitionUpdate(stored.content, update)), stored.content, { services });
    checkWebhookNodeUrls(content, services);
    const webhookConfig = updatedWebhookConfig(
      data.webhookConfig,
      stored.content.webhookConfig,
      isFullReplace(stored.content, update),
      services,
    );
    const updated = await services.definitions.update(workspaceId, data.definitionId, {
      ifVersion: data.ifVersion,
      content: withWebhookConfig(content, webhookConfig),
    });
    await services.schedules.sync(workspaceId, stored.content, updated);
    return toDefinitionView(updated);
  },
});

export const getDefinition = defineEndpoint({
  path: '/v2/workflow/definitions/get',
  summary: 'Read the current version of a definition in canonical form',
  request: z.strictObject({ definitionId: DefinitionIdSchema, ...ScopeIdsSchema }),
  handle: async (data, { principal, services }) => {
    const stored = await services.definitions.get(principal.workspace.workspaceId, data.definitionId);
    return toDefinitionView(addressable(stored, data.definitionId, data));
  },
});

export const listDefinitions = defineEndpoint({
  path: '/v2/workflow/definitions/list',
  summary: 'Page active definitions, most recently updated first',
  request: z.strictObject({
    pageSize: PageSizeSchema(50),
    cursor: z.number().int().positive().optional(),
    ...ScopeIdsSchema,
  }),
  handle: async (data, { principal, services }) => {
    const page = await services.definitions.list(principal.workspace.workspaceId, data);
    return { items: page.items.map(toDefinitionView), nextCursor: page.nextCursor };
  },
});

export const deleteDefinition = defineEndpoint({
  path: '/v2/workflow/definitions/delete',
  summary: 'Tombstone a definition, or with purge remove its stored versions (refused while executions of it are running)',
  request: z.strictObject({
    definitionId: DefinitionIdSchema,
    purge: z.boolean().optional().meta({ description: 'Remove the stored versions instead of tombstoning (default false).' }),
    ...ScopeIdsSchema,
  }),
  handle: async (data, { principal, services }) => {
    const workspaceId = principal.workspace.workspaceId;
    const stored = addressable(await services.definitions.get(workspaceId, data.definitionId), data.definitionId, data);
    // The definition workflow refuses while an execution it pinned runs (docs/behaviour.md, "Definitions").
    const purged = data.purge === true;
    await services.definitions.delete(workspaceId, data.definitionId, { ...data, purge: purged });
    await services.schedules.sync(workspaceId, stored.content, null);
    // A G2 client that never sends `purge` keeps the reply it always had (docs/g3.md, "Deleting").
    const showPurged = data.purge !== undefined || generationOf(stored.content) === 'g3';
    return showPurged ? { deleted: true, purged, definitionId: data.definitionId } : { deleted: true, definitionId: data.definitionId };
  },
});
