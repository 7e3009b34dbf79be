import { postToCheckedUrl } from '../../infra/outbound/checked-url-post';
import type { LookupAll } from '../../infra/outbound/ssrf-guard';
import { SIGNATURE_HEADER, signBody, standardWebhookHeaders } from '../../infra/request-signing';
import type { DeliveryAttemptResult, DeliveryFailureReason } from '../contract';

export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/** At most this much of a receiver's answer is read (and discarded). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const WEBHOOK_USER_AGENT = 'approval-engine-webhooks';

export interface DeliverOnceInput {
  url: string;
  secret: string;
  /** During a rotation: the secret the run signed with before; it signs `webhook-signature` too. */
  previousSecret?: string | undefined;
  body: string;
  eventId: string;
  /** 0-based, sent as `x-velt-attempt`. */
  attempt: number;
  allowPrivate: boolean;
  timeoutMs?: number;
  lookup?: LookupAll;
  /** The clock `webhook-timestamp` is read from (epoch ms). */
  now?: () => number;
  /** Receives what went wrong when a client may only read the generic message (the worker logs it). */
  logDetail?: (detail: string) => void;
}

/** The one text a client reads for every attempt that got no HTTP status, whatever the cause. */
export const unreachableMessage = (timeoutMs: number): string =>
  `webhook receiver could not be reached or did not answer within ${timeoutMs} ms`;

const redact = (message: string, secrets: readonly string[]): string =>
  secrets.reduce((text, secret) => (secret.length > 0 ? text.split(secret).join('[redacted]') : text), message);

/**
 * One delivery attempt (docs/events.md, "Webhook delivery"; docs/behaviour.md, "Outbound requests"): resolve and check the target, then POST the body once to
 * the checked address. Never follows redirects and never throws. A refused connection, a reset, a
 * TLS failure and a timeout all read the same (`network-error`, one message), so deliveries cannot
 * probe which ports answer; the cause goes to `logDetail`.
 */
export const deliverOnce = async (input: DeliverOnceInput): Promise<DeliveryAttemptResult> => {
  const secrets = input.previousSecret === undefined ? [input.secret] : [input.secret, input.previousSecret];
  const fail = (reason: DeliveryFailureReason, message: string, status?: number): DeliveryAttemptResult =>
    status === undefined
      ? { ok: false, reason, message: redact(message, secrets) }
      : { ok: false, reason, status, message: redact(message, secrets) };
  const timeoutMs = input.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const unreachable = (detail: string): DeliveryAttemptResult => {
    input.logDetail?.(redact(detail, secrets));
    return fail('network-error', unreachableMessage(timeoutMs));
  };
  try {
    const outcome = await postToCheckedUrl(input.url, {
      allowPrivate: input.allowPrivate,
      ...(input.lookup ? { lookup: input.lookup } : {}),
      body: Buffer.from(input.body, 'utf8'),
      maxResponseBytes: MAX_RESPONSE_BYTES,
      // One deadline for the whole attempt: a slow resolver eats into it like a slow server.
      deadline: Date.now() + timeoutMs,
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signBody(input.secret, input.body),
        'x-velt-event-id': input.eventId,
        'x-velt-attempt': String(input.attempt),
        ...standardWebhookHeaders(secrets, input.eventId, Math.floor((input.now ?? Date.now)() / 1000), input.body),
        'user-agent': WEBHOOK_USER_AGENT,
      },
    });
    switch (outcome.kind) {
      case 'refused':
        if (outcome.detail !== undefined) input.logDetail?.(outcome.detail);
        return fail(outcome.reason, outcome.message);
      case 'unanswered':
        return unreachable(`${outcome.cause}: ${outcome.detail}`);
      case 'answered': {
        // The status decides; the rest of the answer (cut at the cap, or broken off) does not matter.
        const { status } = outcome;
        return status >= 200 && status < 300
          ? { ok: true, status }
          : fail('http-status', `webhook receiver answered HTTP ${status}`, status);
      }
    }
  } catch (err) {
    return unreachable(err instanceof Error ? err.message : String(err));
  }
};
