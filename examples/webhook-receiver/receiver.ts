/**
 * Minimal webhook receiver for the approval engine's outbound deliveries.
 *
 *   WEBHOOK_SECRET=... PORT=4000 npx tsx examples/webhook-receiver/receiver.ts
 *
 * Self-contained on purpose: only Node built-ins, nothing imported from the engine.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';

const secret = process.env.WEBHOOK_SECRET ?? '';
const port = Number(process.env.PORT ?? 4000);
if (secret === '') {
  console.error('Set WEBHOOK_SECRET to the webhookSecret you passed on dispatch.');
  process.exit(1);
}

/** HMAC-SHA256 over the raw request bytes, compared in constant time against `sha256=<hex>`. */
const verify = (rawBody: Buffer, header: string | undefined): boolean => {
  if (header === undefined) return false;
  const eq = header.indexOf('=');
  if (eq < 0 || header.slice(0, eq) !== 'sha256') return false;
  const hex = header.slice(eq + 1);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
};

const readRaw = async (req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
};

/** Event ids already handled. Retries reuse the same id, so a repeat is acknowledged and skipped. */
const seen = new Set<string>();

const server = createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  readRaw(req).then(
    (raw) => {
      const signature = req.headers['x-velt-signature'];
      if (!verify(raw, typeof signature === 'string' ? signature : undefined)) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('bad signature');
        return;
      }
      const eventId = String(req.headers['x-velt-event-id'] ?? '');
      const attempt = String(req.headers['x-velt-attempt'] ?? '0');
      if (eventId !== '' && seen.has(eventId)) {
        console.log(`duplicate ${eventId} (attempt ${attempt}), ignored`);
        res.writeHead(200).end();
        return;
      }
      const body = JSON.parse(raw.toString('utf8')) as { event?: string; seq?: number; executionId?: string };
      if (eventId !== '') seen.add(eventId);
      console.log(`${body.event} ${body.seq} ${body.executionId}`);
      res.writeHead(200).end();
    },
    () => res.writeHead(400).end(),
  );
});

server.listen(port, () => console.log(`webhook receiver listening on http://localhost:${port}`));
