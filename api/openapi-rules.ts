/**
 * The cross-field rules the API enforces beyond what a zod schema can say in JSON Schema, written
 * into the OpenAPI document so that a request valid against the document is never refused for a
 * hidden reason (docs/behaviour.md, "Errors"). Each rule edits the `data` schema of one path.
 */
interface JsonSchema {
  type?: unknown;
  description?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  [keyword: string]: unknown;
}

const variants = (schema: JsonSchema): JsonSchema[] => schema.anyOf ?? schema.oneOf ?? [schema];

/** `webhookUrl` and `webhookSecret` come together or not at all. */
const webhookPair = (data: JsonSchema): void => {
  data.dependentRequired = { webhookUrl: ['webhookSecret'], webhookSecret: ['webhookUrl'] };
  data.description = [data.description, 'webhookUrl and webhookSecret must be provided together.'].filter(Boolean).join(' ');
};

/** The seed-era body: `status: "failure"` needs an `errorMessage`. */
const errorMessageWithFailure = (data: JsonSchema): void => {
  for (const variant of variants(data)) {
    const errorMessage = variant.properties?.errorMessage;
    if (!variant.properties?.status || !errorMessage) continue;
    variant.if = { properties: { status: { const: 'failure' } }, required: ['status'] };
    variant.then = { required: ['errorMessage'] };
    errorMessage.description = 'Required when status is "failure".';
  }
};

/**
 * Every node needs a `config` object: the schema lets it be absent so that the linter can report
 * `node-missing-config` with the others, but a definition without one is always refused.
 */
const nodeConfigRequired = (data: JsonSchema): void => {
  const nodes = data.properties?.nodes;
  if (!nodes?.items) return;
  for (const node of variants(nodes.items)) {
    const config = node.properties?.config;
    if (!node.properties || !config) continue;
    const objects = variants(config).filter((candidate) => candidate.type !== 'null');
    node.properties.config = {
      ...(objects.length === 1 && objects[0] ? objects[0] : { anyOf: objects }),
      description: 'Required (a node without config is refused: node-missing-config).',
    };
    node.required = [...new Set([...(node.required ?? []), 'config'])];
  }
};

export const CROSS_FIELD_RULES: Readonly<Record<string, Array<(data: JsonSchema) => void>>> = {
  '/v2/workflow/executions/dispatch': [webhookPair],
  '/v2/workflow/steps/recordAgentResolution': [errorMessageWithFailure],
  '/v2/workflow/definitions/create': [nodeConfigRequired],
  '/v2/workflow/definitions/update': [nodeConfigRequired],
};

/** The `data` schema of `path` with its cross-field rules written in (edited in place, then returned). */
export const withCrossFieldRules = <S extends Record<string, unknown>>(path: string, data: S): S => {
  for (const rule of CROSS_FIELD_RULES[path] ?? []) rule(data);
  return data;
};
