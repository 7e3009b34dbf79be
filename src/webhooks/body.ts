import type { DeliverableEvent } from './contract';

export interface WebhookBodyMeta {
  executionId: string;
  definitionId: string;
}

/**
 * The JSON body of one delivery (docs/events.md, "Webhook body"). Deterministic: the same event always yields the same
 * bytes, so every retry carries an identical body and signature.
 */
export const serializeWebhookBody = (event: DeliverableEvent, meta: WebhookBodyMeta): string => {
  const status = event.data !== null && typeof event.data.status === 'string' ? event.data.status : undefined;
  const body = {
    event: event.type,
    executionId: meta.executionId,
    definitionId: meta.definitionId,
    stepId: event.stepId,
    ...(status === undefined ? {} : { status }),
    seq: event.seq,
    timestamp: new Date(event.timestamp).toISOString(),
    correlationId: event.correlationId,
    data: event.data,
  };
  return JSON.stringify(body);
};
