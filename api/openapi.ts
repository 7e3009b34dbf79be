import { z } from 'zod';
import { ERROR_CODES } from '../src/core/errors';
import type { Endpoint } from './endpoint';
import { withCrossFieldRules } from './openapi-rules';

const errorEnvelope = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'status'],
      properties: {
        message: { type: 'string' },
        status: { type: 'string', enum: [...ERROR_CODES] },
        details: { type: 'object' },
      },
    },
  },
};

const toSchema = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
  return rest;
};

/** OpenAPI 3.1 description generated from the same zod schemas that validate requests. */
export const buildOpenApiDocument = (endpoints: readonly Endpoint[]): Record<string, unknown> => ({
  openapi: '3.1.0',
  info: {
    title: 'Approval Engine REST API',
    version: '2',
    description:
      'Wire-compatible with the Velt Approval Engine (v2). Every endpoint is a POST with a { data } body; success is { result }, failure is { error: { message, status, details? } }.',
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'x-velt-api-key' },
      authToken: { type: 'apiKey', in: 'header', name: 'x-velt-auth-token' },
    },
    schemas: { ErrorEnvelope: errorEnvelope },
  },
  security: [{ apiKey: [], authToken: [] }],
  paths: Object.fromEntries(
    endpoints.map((endpoint) => [
      endpoint.path,
      {
        post: {
          summary: endpoint.summary,
          operationId: endpoint.path.replace('/v2/workflow/', '').replace('/', '.'),
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['data'],
                  additionalProperties: false,
                  properties: { data: withCrossFieldRules(endpoint.path, toSchema(endpoint.documentedRequest ?? endpoint.request)) },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'Success envelope',
              content: { 'application/json': { schema: { type: 'object', required: ['result'], properties: { result: {} } } } },
            },
            default: {
              description: 'Error envelope',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
            },
          },
        },
      },
    ]),
  ),
});
