/**
 * The bench's REST client: `node:http` over keep-alive connections. Both sides of P1 and P2 count
 * their client's own CPU in their latency (the raw side's is the SDK's gRPC client); undici's
 * `fetch` cost this process about 2.7 ms of CPU per request on the 2-core bench machine, against
 * about 1.3 ms for this client, so it would charge the engine for a client library's overhead
 * (docs/bench.md, "The REST client"). `--fetch` measures with `fetch` instead.
 */
import http from 'node:http';

export interface RestReply {
  status: number;
  text: string;
}

export type RestPost = (url: string, headers: Record<string, string>, body: string) => Promise<RestReply>;

export const nodeHttpPost = (): RestPost => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  return (url, headers, body) =>
    new Promise<RestReply>((resolve, reject) => {
      const request = http.request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
};

export const fetchPost = (): RestPost => async (url, headers, body) => {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
};
