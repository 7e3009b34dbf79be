/**
 * How one attempt at a notification ended (docs/notifications.md, "Delivery and retries"):
 * `sent` with the step's output, or `failed` with the step's error code and whether another
 * attempt could help. `reason` marks a configuration failure (the operator's or the author's).
 */
export type TransportOutcome =
  | { kind: 'sent'; output: Record<string, unknown> }
  | { kind: 'failed'; code: string; message: string; retryable: boolean; reason?: string };
