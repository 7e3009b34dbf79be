import type { RunAgent } from '../../src/core/interpreter';
import type { DeliverWebhookInput } from '../../src/webhooks/contract';

/*
 * One-line summaries the Temporal Web UI shows on each activity (its user metadata), so a run's
 * timeline names the node or the event: docs/operations.md, "Reading a run in the Temporal Web UI".
 */

/** `agent agent-draft`. */
export const agentRunSummary = (command: Pick<RunAgent, 'nodeId'>): string => `agent ${command.nodeId}`;

/** `webhook delivery step.completed #7`; retries add the attempt: `… #7, attempt 2`. */
export const webhookDeliverySummary = (input: Pick<DeliverWebhookInput, 'event' | 'attempt'>): string =>
  `webhook delivery ${input.event.type} #${input.event.seq}${input.attempt > 0 ? `, attempt ${input.attempt + 1}` : ''}`;
