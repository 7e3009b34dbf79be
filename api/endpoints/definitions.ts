import { z } from 'zod';
import {
  CreateDefinitionRequestSchema,
  ScopeIdSchema,
  addressable,
  checkVersion,
  mergeDefinitionUpdate,
  toDefinitionView,
  UpdateDefinitionRequestSchema,
  validateDefinition,
} from '../../src/core/definition';
import type { CanonicalDefinition } from '../../src/core/definition';
import { DefinitionIdSchema, PageSizeSchema } from '../../src/core/requests/common';
import { defineEndpoint } from '../endpoint';

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

export const createDefinition = defineEndpoint({
  path: '/v2/workflow/definitions/create',
  summary: 'Register a definition (validated, desugared and linted) as version 1',
  request: CreateDefinitionRequestSchema,
  handle: async (data, { principal, services }) =>
    toDefinitionView(await services.definitions.create(principal.workspace.workspaceId, canonical(data))),
});

export const updateDefinition = defineEndpoint({
  path: '/v2/workflow/definitions/update',
  summary: 'Partially update a definition; ifVersion must equal the stored version',
  request: UpdateDefinitionRequestSchema,
  handle: async (data, { principal, services }) => {
    const workspaceId = principal.workspace.workspaceId;
    const stored = await services.definitions.getActive(workspaceId, data.definitionId);
    checkVersion(stored, data.ifVersion);
    const merged = mergeDefinitionUpdate(stored.content, data);
    const content = canonical(merged);
    return toDefinitionView(await services.definitions.update(workspaceId, data.definitionId, { ifVersion: data.ifVersion, content }));
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
  summary: 'Tombstone a definition (refused while executions of it are running)',
  request: z.strictObject({ definitionId: DefinitionIdSchema, ...ScopeIdsSchema }),
  handle: async (data, { principal, services }) => {
    const workspaceId = principal.workspace.workspaceId;
    addressable(await services.definitions.get(workspaceId, data.definitionId), data.definitionId, data);
    await services.definitions.delete(workspaceId, data.definitionId, data);
    return { deleted: true, definitionId: data.definitionId };
  },
});
