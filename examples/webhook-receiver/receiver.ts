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

/** HMAC-SHA256 over the raw request bytes, compared in constant time against `sha256=<hex>`. */
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
  secret: string;
  log?: (line: string) => void;
}

/**
 * 200 for a verified event (also for a repeat, so the engine stops retrying it), 401 for a bad
 * signature, 400 for a body that is not JSON, 413 for an oversized one, 405 for anything but POST.
 */
export const createReceiver = ({ secret, log = console.log }: ReceiverOptions): Server => {
  // Retries reuse the event id. Kept in memory here; a real receiver stores ids durably.
  const seen = new Set<string>();
  const remember = (eventId: string): void => {
    seen.add(eventId);
    if (seen.size > MAX_REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
  };

  const handle = async (req: IncomingMessage): Promise<number> => {
    if (req.method !== 'POST') return 405;
    const raw = await readRaw(req);
    if (raw === null) return 413;
    // Verify the bytes as received, before parsing: re-serialised JSON would not match.
    if (!verifySignature(secret, raw, header(req, 'x-velt-signature'))) return 401;

    const eventId = header(req, 'x-velt-event-id') ?? '';
    const attempt = header(req, 'x-velt-attempt') ?? '0';
    if (eventId !== '' && seen.has(eventId)) {
      log(`duplicate ${eventId} (attempt ${attempt}), ignored`);
      return 200;
    }
    let body: { event?: string; seq?: number; executionId?: string };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      return 400;
    }
    if (eventId !== '') remember(eventId);
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
  const port = Number(process.env.PORT ?? 4000);
  const host = process.env.HOST ?? '127.0.0.1';
  if (secret === '') {
    console.error('Set WEBHOOK_SECRET to the webhookSecret you passed on dispatch.');
    process.exit(1);
  }
  createReceiver({ secret }).listen(port, host, () => console.log(`webhook receiver listening on http://${host}:${port}`));
}
