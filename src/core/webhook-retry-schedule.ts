/**
 * Delays before delivery attempts 1..5 (attempt 0 is immediate): six attempts in all, then the
 * event is dead-lettered (spec §6.5, decisions §6). Pure: workflow code imports it.
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [2_000, 8_000, 32_000, 120_000, 480_000];

export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

/** The wait before `attempt` (0-based), or null when no attempt of that number is made. */
export const nextDelayMs = (attempt: number): number | null => {
  if (!Number.isInteger(attempt) || attempt < 0 || attempt >= WEBHOOK_MAX_ATTEMPTS) return null;
  return attempt === 0 ? 0 : (WEBHOOK_RETRY_DELAYS_MS[attempt - 1] ?? null);
};
