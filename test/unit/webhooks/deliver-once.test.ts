import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signBody, verifySignature, verifyStandardWebhook } from '../../../src/infra/request-signing';
import { deliverOnce, unreachableMessage, type LookupAll } from '../../../src/webhooks/delivery';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

interface TestServer {
  port: number;
  received: Received[];
  close: () => Promise<void>;
}

const servers: TestServer[] = [];

/** A loopback server that records each request and answers with `reply` (or never, when it returns false). */
const startServer = async (reply: (res: ServerResponse, port: number) => boolean | void): Promise<TestServer> => {
  const received: Received[] = [];
  let port = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, raw: Buffer.concat(chunks) });
      reply(res, port);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const ts: TestServer = {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(ts);
  return ts;
};

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const secret = 'whsec_super_secret_value';
const body = '{"event":"step.completed","executionId":"exec_1","seq":3,"data":{"note":"héllo"}}';
const base = { secret, body, eventId: 'evt_123', attempt: 0, allowPrivate: true };

describe('deliverOnce', () => {
  it('POSTs the body with all headers and a signature that verifies over the received bytes', async () => {
    const srv = await startServer((res) => void res.writeHead(204).end());
    const result = await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/hooks/in?x=1`, attempt: 2 });
    expect(result).toEqual({ ok: true, status: 204 });
    expect(srv.received).toHaveLength(1);
    const [req] = srv.received as [Received];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/in?x=1');
    expect(req.raw.toString('utf8')).toBe(body);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-velt-event-id']).toBe('evt_123');
    expect(req.headers['x-velt-attempt']).toBe('2');
    expect(req.headers['user-agent']).toBe('approval-engine-webhooks');
    expect(req.headers['x-velt-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(secret, req.raw, req.headers['x-velt-signature'] as string)).toBe(true);
    expect(verifySignature('wrong', req.raw, req.headers['x-velt-signature'] as string)).toBe(false);
  });

  it('sends identical bytes and signature on every attempt, with the same event id', async () => {
    const srv = await startServer((res) => void res.writeHead(200).end('ok'));
    for (const attempt of [0, 1, 5]) {
      expect(await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/`, attempt })).toEqual({ ok: true, status: 200 });
    }
    const [a, b, c] = srv.received as [Received, Received, Received];
    expect([a, b, c].map((r) => r.headers['x-velt-attempt'])).toEqual(['0', '1', '5']);
    expect(new Set([a, b, c].map((r) => r.headers['x-velt-signature'])).size).toBe(1);
    expect(new Set([a, b, c].map((r) => r.headers['x-velt-event-id'])).size).toBe(1);
    expect(b.raw.equals(a.raw) && c.raw.equals(a.raw)).toBe(true);
  });

  it.each([
    [200, true],
    [201, true],
    [299, true],
    [400, false],
    [401, false],
    [404, false],
    [500, false],
    [503, false],
  ])('status %i → ok=%s', async (status, ok) => {
    const srv = await startServer((res) => void res.writeHead(status).end('answer'));
    const result = await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/` });
    expect(result).toEqual(
      ok ? { ok: true, status } : { ok: false, reason: 'http-status', status, message: expect.stringContaining(String(status)) },
    );
  });

  it.each([301, 302, 307, 308])('does not follow a %i redirect', async (status) => {
    const target = await startServer((res) => void res.writeHead(200).end());
    const srv = await startServer((res) => void res.writeHead(status, { location: `http://127.0.0.1:${target.port}/landed` }).end());
    const result = await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/` });
    expect(result).toMatchObject({ ok: false, reason: 'http-status', status });
    expect(srv.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('reads at most a bounded amount of a huge answer and still reports the status', async () => {
    const srv = await startServer((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 97);
      let sent = 0;
      const pump = (): void => {
        while (sent < 200 && res.write(chunk)) sent += 1;
        if (sent < 200 && !res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    expect(await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/`, timeoutMs: 5000 })).toEqual({ ok: true, status: 200 });
  });

  it('gives up on a server that never answers, as network-error with the generic message', async () => {
    const srv = await startServer(() => false);
    const result = await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/`, timeoutMs: 200 });
    expect(result).toEqual({ ok: false, reason: 'network-error', message: unreachableMessage(200) });
    expect(srv.received).toHaveLength(1);
  });

  it('reports a refused connection as network-error', async () => {
    const srv = await startServer((res) => void res.end());
    const port = srv.port;
    await srv.close();
    servers.splice(servers.indexOf(srv), 1);
    expect(await deliverOnce({ ...base, url: `http://127.0.0.1:${port}/` })).toMatchObject({ ok: false, reason: 'network-error' });
  });

  it('reads the same for a refused connection, a silent server and a reset: the cause goes only to the log', async () => {
    const closed = await startServer((res) => void res.end());
    const closedPort = closed.port;
    await closed.close();
    servers.splice(servers.indexOf(closed), 1);
    const silent = await startServer(() => false);
    const resetting = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const resetPort = (resetting.address() as AddressInfo).port;
    try {
      const details: string[] = [];
      const attempt = (port: number) =>
        deliverOnce({ ...base, url: `http://127.0.0.1:${port}/`, timeoutMs: 300, logDetail: (detail) => details.push(detail) });
      const results = [await attempt(closedPort), await attempt(silent.port), await attempt(resetPort)];
      for (const result of results) expect(result).toEqual({ ok: false, reason: 'network-error', message: unreachableMessage(300) });
      expect(details).toHaveLength(3);
      expect(details[0]).toContain('ECONNREFUSED');
      expect(details[1]).toContain('timeout');
      expect(details[2]).toContain('ECONNRESET');
    } finally {
      await new Promise<void>((resolve) => resetting.close(() => resolve()));
    }
  });

  it('connects to the checked address of a name and keeps the original Host', async () => {
    const srv = await startServer((res) => void res.writeHead(200).end());
    const calls: string[] = [];
    const lookup: LookupAll = (host) => {
      calls.push(host);
      return Promise.resolve(host === 'hooks.test' ? [{ address: '127.0.0.1', family: 4 }] : []);
    };
    const result = await deliverOnce({ ...base, url: `http://hooks.test:${srv.port}/in`, lookup });
    expect(result).toEqual({ ok: true, status: 200 });
    expect(calls).toEqual(['hooks.test']);
    expect(srv.received).toHaveLength(1);
    expect(srv.received[0]?.headers.host).toBe(`hooks.test:${srv.port}`);
  });

  it.each([
    ['a name resolving to loopback', 'https://hooks.test:PORT/in'],
    ['a loopback literal', 'https://127.0.0.1:PORT/in'],
    ['plain http', 'http://hooks.test:PORT/in'],
  ])('without allowPrivate refuses %s and sends nothing', async (_name, template) => {
    const srv = await startServer((res) => void res.writeHead(200).end());
    const lookup: LookupAll = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const result = await deliverOnce({ ...base, allowPrivate: false, url: template.replace('PORT', String(srv.port)), lookup });
    expect(result).toMatchObject({ ok: false, reason: 'ssrf-blocked' });
    expect(srv.received).toHaveLength(0);
  });

  it('reports a resolver failure as dns-failed', async () => {
    const lookup: LookupAll = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    expect(await deliverOnce({ ...base, url: 'https://nowhere.test/', lookup })).toMatchObject({ ok: false, reason: 'dns-failed' });
  });

  it('never puts the secret in a failure message', async () => {
    const srv = await startServer((res) => void res.writeHead(500).end(secret));
    const results = [
      await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/${secret}` }),
      await deliverOnce({ ...base, allowPrivate: false, url: `http://127.0.0.1:${srv.port}/` }),
      await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/`, timeoutMs: 1 }),
    ];
    for (const r of results) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).not.toContain(secret);
    }
  });
});

describe('deliverOnce deadline', () => {
  it('counts a resolver that never answers against the same timeout', async () => {
    const neverAnswers = () => new Promise<never>(() => undefined);
    const result = await deliverOnce({
      url: 'https://slow-dns.example.com/hook',
      secret: 'whsec_deadline_secret_000',
      body: '{}',
      eventId: 'evt_1',
      attempt: 0,
      allowPrivate: false,
      timeoutMs: 100,
      lookup: neverAnswers,
    });
    expect(result).toEqual({ ok: false, reason: 'network-error', message: unreachableMessage(100) });
  });
});

describe('deliverOnce: Standard Webhooks headers', () => {
  const standard = (req: Received) => ({
    id: req.headers['webhook-id'] as string,
    timestamp: req.headers['webhook-timestamp'] as string,
    signature: req.headers['webhook-signature'] as string,
  });

  it('signs the event id and the attempt time with the body, beside an unchanged x-velt-signature', async () => {
    const srv = await startServer((res) => void res.writeHead(204).end());
    const at = 1_780_000_000_500;
    expect(await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/`, now: () => at })).toEqual({ ok: true, status: 204 });
    const [req] = srv.received as [Received];
    expect(req.headers['webhook-id']).toBe('evt_123');
    expect(req.headers['webhook-timestamp']).toBe('1780000000');
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(req.headers['x-velt-signature']).toBe(signBody(secret, body));
    expect(verifyStandardWebhook([secret], standard(req), req.raw, 1_780_000_000)).toBe(true);
    expect(verifyStandardWebhook(['wrong-secret-0123456'], standard(req), req.raw, 1_780_000_000)).toBe(false);
  });

  it('stamps each attempt with its own time, so a retry is signed afresh while the body and x-velt-signature stay the same', async () => {
    const srv = await startServer((res) => void res.writeHead(200).end());
    let clock = 1_780_000_000_000;
    for (const attempt of [0, 1]) {
      await deliverOnce({ ...base, url: `http://127.0.0.1:${srv.port}/`, attempt, now: () => clock });
      clock += 8_000;
    }
    const [first, retry] = srv.received as [Received, Received];
    expect([first, retry].map((r) => r.headers['webhook-timestamp'])).toEqual(['1780000000', '1780000008']);
    expect(first.headers['webhook-signature']).not.toBe(retry.headers['webhook-signature']);
    expect(first.headers['x-velt-signature']).toBe(retry.headers['x-velt-signature']);
    expect(verifyStandardWebhook([secret], standard(retry), retry.raw, 1_780_000_008)).toBe(true);
  });

  it('signs with the current and the previous secret during a rotation; x-velt-signature keeps the current one', async () => {
    const srv = await startServer((res) => void res.writeHead(200).end());
    const previousSecret = 'whsec_the_old_secret_value';
    await deliverOnce({ ...base, previousSecret, url: `http://127.0.0.1:${srv.port}/`, now: () => 1_780_000_000_000 });
    const [req] = srv.received as [Received];
    expect((req.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect(verifyStandardWebhook([secret], standard(req), req.raw, 1_780_000_000)).toBe(true);
    expect(verifyStandardWebhook([previousSecret], standard(req), req.raw, 1_780_000_000)).toBe(true);
    expect(verifySignature(secret, req.raw, req.headers['x-velt-signature'] as string)).toBe(true);
  });
});
