import { log, sleep } from '@temporalio/workflow';
import type {
  DeadLetter,
  DeliverableEvent,
  DeliveriesSnapshot,
  DeliverWebhookInput,
  DeliveryAttemptRecord,
  DeliveryAttemptResult,
  WebhookTarget,
} from './contract';
import { WEBHOOK_RETRY_DELAYS_MS } from './retry-schedule';

export type DeliverAttempt = (input: DeliverWebhookInput) => Promise<DeliveryAttemptResult>;

/**
 * Delivers every external event on its own (at-least-once, not ordered): attempt, then wait
 * 2 s, 8 s, 32 s, 2 min, 8 min between failures on durable timers, then dead-letter. The run never
 * waits on this; the workflow only stays open until the last delivery has settled.
 */
export class WebhookDeliveries {
  private inFlight = 0;
  readonly deadLetters: DeadLetter[];
  private delivered: number;

  constructor(
    private readonly target: WebhookTarget,
    private readonly execution: { executionId: string; definitionId: string },
    private readonly deliver: DeliverAttempt,
    carried?: DeliveriesSnapshot,
  ) {
    this.deadLetters = carried?.deadLetters ?? [];
    this.delivered = carried?.delivered ?? 0;
  }

  get settled(): boolean {
    return this.inFlight === 0;
  }

  snapshot(): DeliveriesSnapshot {
    return { deadLetters: this.deadLetters, delivered: this.delivered };
  }

  enqueue(event: DeliverableEvent): void {
    // A definition's webhookConfig may narrow what its runs deliver (docs/inbound.md, "Definition webhookConfig").
    if (this.target.eventTypes !== undefined && !this.target.eventTypes.includes(event.type)) return;
    this.inFlight += 1;
    void this.run(event).finally(() => {
      this.inFlight -= 1;
    });
  }

  private async run(event: DeliverableEvent): Promise<void> {
    const attempts: DeliveryAttemptRecord[] = [];
    let last: DeliveryAttemptResult = { ok: false, reason: 'activity-failed', message: 'not attempted' };
    for (let attempt = 0; attempt <= WEBHOOK_RETRY_DELAYS_MS.length; attempt += 1) {
      const delay = WEBHOOK_RETRY_DELAYS_MS[attempt - 1];
      if (delay !== undefined) await sleep(delay);
      const startedAt = Date.now();
      last = await this.attempt(event, attempt);
      attempts.push({
        attempt,
        startedAt,
        finishedAt: Date.now(),
        outcome: last.ok ? `delivered (HTTP ${last.status})` : `${last.reason}: ${last.message}`,
      });
      if (last.ok) {
        this.delivered += 1;
        return;
      }
      // A target that resolves to a forbidden address will not stop doing so within minutes.
      if (last.reason === 'ssrf-blocked') break;
    }
    if (last.ok) return;
    this.deadLetters.push({
      eventId: event.eventId,
      seq: event.seq,
      type: event.type,
      reason: last.reason,
      message: last.message,
      attempts,
      deadLetteredAt: Date.now(),
    });
    log.warn('webhook delivery dead-lettered', { eventId: event.eventId, reason: last.reason });
  }

  private async attempt(event: DeliverableEvent, attempt: number): Promise<DeliveryAttemptResult> {
    try {
      return await this.deliver({
        url: this.target.url,
        sealedSecret: this.target.sealedSecret,
        ...(this.target.sealedPreviousSecret === undefined ? {} : { sealedPreviousSecret: this.target.sealedPreviousSecret }),
        executionId: this.execution.executionId,
        definitionId: this.execution.definitionId,
        event,
        attempt,
      });
    } catch (error) {
      return { ok: false, reason: 'activity-failed', message: error instanceof Error ? error.message : String(error) };
    }
  }
}
