import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface TestReceiver {
  url: string;
  received: Received[];
  close: () => Promise<void>;
}

/** A loopback webhook receiver; `status` decides each answer from what has arrived so far. */
export const startReceiver = (status: (request: Received, received: Received[]) => number): Promise<TestReceiver> =>
  new Promise((resolve) => {
    const received: Received[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const entry = { headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') };
        received.push(entry);
        response.statusCode = status(entry, received);
        response.end();
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/hooks`,
        received,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
