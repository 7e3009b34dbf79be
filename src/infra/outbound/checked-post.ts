import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { readCapped, type CappedBodyEnd } from './read-capped';
import { bareHost } from './ssrf-guard';

export interface CheckedPost {
  url: URL;
  /** The address `resolveAndCheck` approved: the request connects there and nowhere else. */
  address: string;
  family: 4 | 6;
  headers: Record<string, string>;
  body: Buffer;
  /** Default POST; a GET sends no body. */
  method?: 'GET' | 'POST';
  /** Reading the answer stops (and the connection is dropped) once it is larger than this. */
  maxResponseBytes: number;
  /** Epoch ms by which the answer must have arrived; none: the caller's `signal` bounds it. */
  deadline?: number;
  signal?: AbortSignal;
}

/**
 * `answered`: the peer sent a status (and `body`, as much as was read). `unanswered`: no status,
 * whatever the cause; `detail` says what happened and belongs in the worker's log only, because
 * telling a refused connection from a timeout would turn deliveries into a port scanner.
 */
export type PostOutcome =
  | { kind: 'answered'; status: number; headers: http.IncomingHttpHeaders; body: Buffer; end: CappedBodyEnd }
  | { kind: 'unanswered'; cause: 'timeout' | 'network' | 'aborted'; detail: string };

/** A `lookup` for the request that always answers with the address already checked. */
const pinnedLookup = (address: string, family: 4 | 6): LookupFunction =>
  ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;

const describe = (error: unknown): string => {
  const err = error as NodeJS.ErrnoException | null;
  const code = typeof err?.code === 'string' ? `${err.code}: ` : '';
  return `${code}${err instanceof Error ? err.message : String(error)}`;
};

/**
 * One POST to an address that was resolved and checked before (docs/behaviour.md#outbound-requests):
 * no second lookup, TLS verified against the URL's host, no redirect followed, the answer read with
 * a byte cap. Never throws.
 */
export const postToCheckedAddress = (post: CheckedPost): Promise<PostOutcome> =>
  new Promise((resolve) => {
    const host = bareHost(post.url);
    const isHttps = post.url.protocol === 'https:';
    let settled = false;
    let request: http.ClientRequest | undefined;
    let response: http.IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;

    const settle = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      post.signal?.removeEventListener('abort', onAbort);
      request?.destroy();
      resolve(outcome);
    };
    // Once a status arrived, stopping early ends the body read as `broken`; before, there is no answer.
    const stop = (cause: 'timeout' | 'aborted', detail: string): void => {
      if (response) response.destroy();
      else settle({ kind: 'unanswered', cause, detail });
    };
    const onAbort = (): void => stop('aborted', 'cancelled');
    if (post.signal?.aborted) {
      settle({ kind: 'unanswered', cause: 'aborted', detail: 'cancelled' });
      return;
    }
    post.signal?.addEventListener('abort', onAbort, { once: true });
    if (post.deadline !== undefined) {
      const ms = Math.max(0, post.deadline - Date.now());
      timer = setTimeout(() => stop('timeout', `no answer within ${ms} ms`), ms);
    }

    try {
      request = (isHttps ? https : http).request({
        method: post.method ?? 'POST',
        protocol: post.url.protocol,
        host,
        port: post.url.port === '' ? undefined : Number(post.url.port),
        path: `${post.url.pathname}${post.url.search}`,
        agent: false,
        lookup: pinnedLookup(post.address, post.family),
        ...(isHttps && post.address !== host ? { servername: host } : {}),
        headers: post.method === 'GET' ? post.headers : { ...post.headers, 'content-length': String(post.body.length) },
      });
    } catch (error) {
      settle({ kind: 'unanswered', cause: 'network', detail: describe(error) });
      return;
    }
    request.on('response', (res) => {
      response = res;
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > post.maxResponseBytes) {
        settle({ kind: 'answered', status, headers: res.headers, body: Buffer.alloc(0), end: 'over-limit' });
        return;
      }
      void readCapped(res, post.maxResponseBytes).then(({ body, end }) =>
        settle({ kind: 'answered', status, headers: res.headers, body, end }),
      );
    });
    request.on('error', (error) => {
      // After a status the body read reports the break; before it, this is the outcome.
      if (!response) settle({ kind: 'unanswered', cause: 'network', detail: describe(error) });
    });
    if (post.method === 'GET') request.end();
    else request.end(post.body);
  });
