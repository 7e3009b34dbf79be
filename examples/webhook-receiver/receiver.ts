/**
 * Minimal webhook receiver for the approval engine's outbound deliveries.
 *
 *   WEBHOOK_SECRET=... PORT=4000 npx tsx examples/webhook-receiver/receiver.ts
 *
 * Self-contained on purpose: only Node built-ins, nothing imported from the engine.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REMEMBERED_IDS = 10_000;
/** A delivery whose `webhook-timestamp` is further than this from our clock is refused as a replay. */
export const TOLERANCE_SECONDS = 5 * 60;

/** `x-velt-signature`: HMAC-SHA256 over the raw request bytes, compared in constant time against `sha256=<hex>`. */
export const verifySignature = (secret: string, rawBody: Buffer, header: string | undefined): boolean => {
  if (header === undefined) return false;
  const eq = header.indexOf('=');
  if (eq < 0 || header.slice(0, eq) !== 'sha256') return false;
  const hex = header.slice(eq + 1);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
};

export interface StandardHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Standard Webhooks: `webhook-timestamp` within five minutes of `nowSeconds`, and one of the
 * space-separated `v1,<base64>` signatures equal to HMAC-SHA256 over "id.timestamp.body", keyed with
 * the UTF-8 bytes of one of `secrets`. The timestamp is signed, so a captured delivery cannot be
 * replayed later with a fresh one.
 */
export const verifyStandardWebhook = (
  secrets: readonly string[],
  headers: StandardHeaders,
  rawBody: Buffer,
  nowSeconds: number,
): boolean => {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const given = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  return secrets.some((secret) => {
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.`).update(rawBody).digest();
    return given.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  });
};

const readRaw = async (req: IncomingMessage): Promise<Buffer | null> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

export interface ReceiverOptions {
  /** The `webhookSecret` you dispatch with. */
  secret: string;
  /** While you rotate: the secret you used before, still accepted. */
  previousSecret?: string;
  log?: (line: string) => void;
  /** Epoch ms; the clock the timestamps are checked against. */
  now?: () => number;
}

/**
 * 200 for a verified event (also for a repeat, so the engine stops retrying it), 401 for a bad
 * signature or a timestamp outside the five-minute window, 400 for a body that is not JSON, 413 for
 * an oversized one, 405 for anything but POST.
 */
export const createReceiver = ({ secret, previousSecret, log = console.log, now = Date.now }: ReceiverOptions): Server => {
  const secrets = previousSecret === undefined ? [secret] : [secret, previousSecret];
  // Retries reuse the event id. An id only needs remembering while its deliveries can still pass the
  // timestamp check: anything older is refused anyway. Kept in memory here; a real receiver shares it.
  const seen = new Map<string, number>();
  const remember = (eventId: string): void => {
    const forgetBefore = now() - 2 * TOLERANCE_SECONDS * 1000;
    for (const [id, at] of seen) {
      if (at >= forgetBefore && seen.size < MAX_REMEMBERED_IDS) break;
      seen.delete(id);
    }
    seen.set(eventId, now());
  };

  const handle = async (req: IncomingMessage): Promise<number> => {
    if (req.method !== 'POST') return 405;
    const raw = await readRaw(req);
    if (raw === null) return 413;
    // Verify the bytes as received, before parsing: re-serialised JSON would not match.
    if (!secrets.some((key) => verifySignature(key, raw, header(req, 'x-velt-signature')))) return 401;
    const standard = {
      id: header(req, 'webhook-id'),
      timestamp: header(req, 'webhook-timestamp'),
      signature: header(req, 'webhook-signature'),
    };
    if (!verifyStandardWebhook(secrets, standard, raw, Math.floor(now() / 1000))) {
      log(`refused ${standard.id ?? '(no webhook-id)'}: webhook-signature does not verify or webhook-timestamp is not within 5 minutes`);
      return 401;
    }

    // Dedupe on webhook-id (the event id, signed) rather than the unsigned x-velt-event-id.
    const eventId = standard.id as string;
    const attempt = header(req, 'x-velt-attempt') ?? '0';
    if (seen.has(eventId)) {
      log(`duplicate ${eventId} (attempt ${attempt}), ignored`);
      return 200;
    }
    let body: { event?: string; seq?: number; executionId?: string };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return 400;
    }
    remember(eventId);
    log(`${body.event} ${body.seq} ${body.executionId}`);
    return 200;
  };

  return createServer((req, res) => {
    handle(req).then(
      (status) => res.writeHead(status).end(),
      () => res.writeHead(400).end(),
    );
  });
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.WEBHOOK_SECRET ?? '';
  const previousSecret = process.env.WEBHOOK_PREVIOUS_SECRET || undefined;
  const port = Number(process.env.PORT ?? 4000);
  const host = process.env.HOST ?? '127.0.0.1';
  if (secret === '') {
    console.error('Set WEBHOOK_SECRET to the webhookSecret you passed on dispatch.');
    process.exit(1);
  }
  createReceiver({ secret, ...(previousSecret ? { previousSecret } : {}) }).listen(port, host, () =>
    console.log(`webhook receiver listening on http://${host}:${port}`),
  );
}
