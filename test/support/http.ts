import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

export interface RunningApi {
  baseUrl: string;
  close: () => Promise<void>;
}

/** Serves the app on an ephemeral loopback port, so tests go through real HTTP. */
export const listen = (app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<RunningApi> =>
  new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({
        baseUrl: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
