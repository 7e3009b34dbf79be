import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** The request's path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface TestReceiver {
  url: string;
  received: Received[];
  close: () => Promise<void>;
}

export type Answer = number | { status: number; body: unknown };

/** A loopback HTTP endpoint (webhook receiver, HTTP agent); `answer` decides each reply. */
export const startReceiver = (answer: (request: Received, received: Received[]) => Answer): Promise<TestReceiver> =>
  new Promise((resolve) => {
    const received: Received[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const entry = { path: request.url ?? '', headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') };
        received.push(entry);
        const reply = answer(entry, received);
        if (typeof reply === 'number') {
          response.statusCode = reply;
          response.end();
        } else {
          response.writeHead(reply.status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(reply.body));
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        received,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
