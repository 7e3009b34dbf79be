import type { ExecutionWorkflowInput } from '../../contracts/execution-messages';

/** What the Temporal Web UI shows at the top of a run (docs/operations.md, "Reading a run in the Temporal Web UI"). */
export interface ExecutionUserMetadata {
  staticSummary: string;
  staticDetails: string;
}

const MAX_FIELD = 200;

/** Client-supplied values are bounded and cannot break out of their code span. */
const shown = (value: string): string => {
  const clipped = value.length > MAX_FIELD ? `${value.slice(0, MAX_FIELD - 1)}…` : value;
  return `\`${clipped.replace(/`/g, "'").replace(/\s+/g, ' ')}\``;
};

/** One line: `<definition id> v<version> · <correlation id>`; the details say the rest. */
export const executionUserMetadata = (input: ExecutionWorkflowInput): ExecutionUserMetadata => {
  const { definition } = input;
  const details = [
    `**Execution** ${shown(input.executionId)} in workspace ${shown(input.workspaceId)}`,
    `**Definition** ${shown(definition.definitionId)} version ${definition.version}: ${shown(definition.content.name)}`,
    `**Correlation id** ${shown(input.correlationId)}`,
    `**Idempotency key** ${shown(input.idempotencyKey)}`,
    `**Dispatched** ${new Date(input.dispatchedAt).toISOString()}`,
  ];
  if (input.folderId !== null) details.push(`**Folder** ${shown(input.folderId)}`);
  if (input.organizationId !== undefined) details.push(`**Organization** ${shown(input.organizationId)}`);
  if (input.documentId !== undefined) details.push(`**Document** ${shown(input.documentId)}`);
  if (input.webhook) details.push('**Webhooks** delivered for every event');
  return {
    staticSummary: `${definition.definitionId.slice(0, MAX_FIELD)} v${definition.version} · ${input.correlationId.slice(0, MAX_FIELD)}`,
    staticDetails: details.join('\n'),
  };
};
