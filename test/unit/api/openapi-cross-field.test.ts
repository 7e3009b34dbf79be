import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../../api/endpoints';
import { buildOpenApiDocument } from '../../../api/openapi';
import { inMemoryApi, inMemoryWorkspaces } from '../../support/in-memory-api';

const document = buildOpenApiDocument(ENDPOINTS) as any;
const dataOf = (path: string): any => document.paths[path].post.requestBody.content['application/json'].schema.properties.data;

/** The API in memory; every request here is refused before any service is reached. */
const api = inMemoryApi({ workspaces: await inMemoryWorkspaces() });
const post = async (path: string, data: unknown): Promise<{ status: number; body: any }> => {
  const response = await api.post(path, data);
  return { status: response.status, body: await response.json() };
};

describe('the OpenAPI document states the cross-field rules the API enforces', () => {
  it('webhookUrl and webhookSecret: together or not at all', async () => {
    const data = dataOf('/v2/workflow/executions/dispatch');
    expect(data.dependentRequired).toEqual({ webhookUrl: ['webhookSecret'], webhookSecret: ['webhookUrl'] });
    const refused = await post('/v2/workflow/executions/dispatch', { definitionId: 'def-1', webhookUrl: 'https://example.com/hook' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('data.webhookSecret: webhookUrl and webhookSecret must be provided together');
  });

  it('errorMessage: required with status "failure"', async () => {
    const seedBody = dataOf('/v2/workflow/steps/recordAgentResolution').anyOf.find((variant: any) => variant.properties.status);
    expect(seedBody.if).toEqual({ properties: { status: { const: 'failure' } }, required: ['status'] });
    expect(seedBody.then).toEqual({ required: ['errorMessage'] });
    const refused = await post('/v2/workflow/steps/recordAgentResolution', {
      executionId: 'exec_1777374504255_zzzzzzzz',
      stepId: 'step_a',
      resolutionId: 'r-1',
      status: 'failure',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('data.errorMessage: errorMessage required when status === "failure"');
  });

  it.each(['/v2/workflow/definitions/create', '/v2/workflow/definitions/update'])('%s: every node needs a config object', (path) => {
    const nodes = dataOf(path).properties.nodes.items.oneOf;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(node.required).toContain('config');
      expect(node.properties.config.type).toBe('object');
    }
  });
  // The refusal itself (node-missing-config) is the linter's: test/unit/definition/lint.test.ts.
});
