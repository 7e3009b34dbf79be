import type { ApprovalEventView } from '../core/interpreter';

/** Where a run's webhooks go (from the dispatch request). */
export interface WebhookTarget {
  url: string;
  /** Sealed with APPROVAL_SECRETS_KEY; history never holds the plaintext. */
  sealedSecret: string;
  /** `webhookPreviousSecret` of the dispatch, sealed likewise: it also signs while receivers rotate. */
  sealedPreviousSecret?: string;
  /** From a definition's `webhookConfig.eventTypes`: only these event types are delivered. */
  eventTypes?: string[];
}

/** An external event as handed to delivery: exactly what getEvents returns for it. */
export type DeliverableEvent = ApprovalEventView;

export interface DeliverWebhookInput {
  url: string;
  sealedSecret: string;
  sealedPreviousSecret?: string;
  executionId: string;
  definitionId: string;
  event: DeliverableEvent;
  attempt: number;
}

/** `timeout` only appears in dead letters recorded before timeouts and network errors read alike. */
export type DeliveryFailureReason = 'ssrf-blocked' | 'dns-failed' | 'timeout' | 'network-error' | 'http-status' | 'activity-failed';

export type DeliveryAttemptResult =
  { ok: true; status: number } | { ok: false; reason: DeliveryFailureReason; status?: number; message: string };

export interface DeliveryAttemptRecord {
  attempt: number;
  startedAt: number;
  finishedAt: number;
  outcome: string;
}

/** Kept in the execution's state and shown on the execution view (`webhookDeadLetters`). */
export interface DeadLetter {
  eventId: string;
  seq: number;
  type: string;
  reason: DeliveryFailureReason;
  message: string;
  attempts: DeliveryAttemptRecord[];
  deadLetteredAt: number;
}

/** The delivery bookkeeping a run carries across continue-as-new. */
export interface DeliveriesSnapshot {
  deadLetters: DeadLetter[];
  delivered: number;
}
