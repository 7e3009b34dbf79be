/**
 * Delays before delivery attempts 1..5 (attempt 0 is immediate): six attempts in all, then the
 * event is dead-lettered (docs/events.md, "Retries and dead letters"). Pure: workflow code imports it.
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [2_000, 8_000, 32_000, 120_000, 480_000];
