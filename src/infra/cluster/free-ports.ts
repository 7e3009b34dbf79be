import { createServer } from 'node:net';

const listenOn = (port: number, host: string): Promise<{ port: number; close: () => Promise<void> }> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });

// Temporal's SQL schema keeps membership ports in a smallint, so the kernel's ephemeral range
// (32768 and up) is out; this range is also clear of the ports the kernel hands out on its own.
const RANGE = { from: 20_000, to: 32_000 };

/** `count` distinct ports below 32768 that were free on the loopback interface a moment ago. */
export const freePorts = async (count: number, host = '127.0.0.1'): Promise<number[]> => {
  const held: Array<{ port: number; close: () => Promise<void> }> = [];
  try {
    for (let attempts = 0; held.length < count; attempts += 1) {
      if (attempts > 200) throw new Error(`no ${count} free ports between ${RANGE.from} and ${RANGE.to}`);
      const candidate = RANGE.from + Math.floor(Math.random() * (RANGE.to - RANGE.from));
      if (held.some((server) => server.port === candidate)) continue;
      held.push(await listenOn(candidate, host).catch(() => ({ port: -1, close: () => Promise.resolve() })));
      if (held.at(-1)?.port === -1) held.pop();
    }
    return held.map((server) => server.port);
  } finally {
    await Promise.all(held.map((server) => server.close()));
  }
};

export const isPortFree = async (port: number, host = '127.0.0.1'): Promise<boolean> => {
  try {
    const server = await listenOn(port, host);
    await server.close();
    return true;
  } catch {
    return false;
  }
};
