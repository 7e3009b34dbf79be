import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { SIGNATURE_HEADER, signBody } from '../../infra/request-signing';
import type { DeliveryAttemptResult, DeliveryFailureReason } from '../contract';
import { bareHost, resolveAndCheck, type LookupAll } from './ssrf-guard';

export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/** At most this much of a receiver's answer is read (and discarded). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const WEBHOOK_USER_AGENT = 'approval-engine-webhooks';

export interface DeliverOnceInput {
  url: string;
  secret: string;
  body: string;
  eventId: string;
  /** 0-based, sent as `x-velt-attempt`. */
  attempt: number;
  allowPrivate: boolean;
  timeoutMs?: number;
  lookup?: LookupAll;
}

/** A `lookup` for the request that always answers with the address already checked. */
const pinnedLookup = (address: string, family: 4 | 6): LookupFunction =>
  ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;

const redact = (message: string, secret: string): string => (secret.length > 0 ? message.split(secret).join('[redacted]') : message);

/**
 * One delivery attempt (spec §6.5, §6.7): resolve and check the target, then POST the body once.
 * Never follows redirects and never throws.
 */
export const deliverOnce = async (input: DeliverOnceInput): Promise<DeliveryAttemptResult> => {
  const fail = (reason: DeliveryFailureReason, message: string, status?: number): DeliveryAttemptResult =>
    status === undefined
      ? { ok: false, reason, message: redact(message, input.secret) }
      : { ok: false, reason, status, message: redact(message, input.secret) };

  const timeoutMs = input.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  // One deadline for the whole attempt: a slow resolver eats into it like a slow server.
  const deadline = Date.now() + timeoutMs;
  const timedOut = (): DeliveryAttemptResult => fail('timeout', `webhook delivery timed out after ${timeoutMs} ms`);
  try {
    let dnsTimer: NodeJS.Timeout | undefined;
    const checked = await Promise.race([
      resolveAndCheck(input.url, {
        allowPrivate: input.allowPrivate,
        ...(input.lookup ? { lookup: input.lookup } : {}),
      }),
      new Promise<null>((resolve) => {
        dnsTimer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]).finally(() => clearTimeout(dnsTimer));
    if (checked === null) return timedOut();
    if (!checked.ok) return fail(checked.reason, checked.message);

    const url = new URL(input.url);
    const host = bareHost(url);
    const isHttps = url.protocol === 'https:';
    const transport = isHttps ? https : http;
    const bodyBytes = Buffer.from(input.body, 'utf8');

    return await new Promise<DeliveryAttemptResult>((resolve) => {
      let settled = false;
      let req: http.ClientRequest | undefined;
      const finish = (result: DeliveryAttemptResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req?.destroy();
        resolve(result);
      };
      let pending: DeliveryAttemptResult | undefined;
      const timer = setTimeout(
        () => {
          finish(pending ?? timedOut());
        },
        Math.max(0, deadline - Date.now()),
      );

      try {
        req = transport.request({
          method: 'POST',
          protocol: url.protocol,
          host,
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          agent: false,
          lookup: pinnedLookup(checked.address, checked.family),
          ...(isHttps && checked.address !== host ? { servername: host } : {}),
          headers: {
            'content-type': 'application/json',
            'content-length': String(bodyBytes.length),
            [SIGNATURE_HEADER]: signBody(input.secret, input.body),
            'x-velt-event-id': input.eventId,
            'x-velt-attempt': String(input.attempt),
            'user-agent': WEBHOOK_USER_AGENT,
          },
        });
      } catch (err) {
        finish(fail('network-error', `webhook request failed: ${(err as Error).message}`));
        return;
      }

      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        pending =
          status >= 200 && status < 300 ? { ok: true, status } : fail('http-status', `webhook receiver answered HTTP ${status}`, status);
        const result = pending;
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) finish(result);
        });
        res.on('end', () => finish(result));
        res.on('close', () => finish(result));
        res.on('error', () => finish(result));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (pending) return finish(pending);
        const code = typeof err.code === 'string' ? `${err.code}: ` : '';
        finish(fail('network-error', `webhook request failed: ${code}${err.message}`));
      });
      req.end(bodyBytes);
    });
  } catch (err) {
    return fail('network-error', `webhook delivery failed: ${err instanceof Error ? err.message : String(err)}`);
  }
};
