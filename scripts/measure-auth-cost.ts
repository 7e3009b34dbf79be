/**
 * What authentication costs per request: `npx tsx scripts/measure-auth-cost.ts`. Printed, never
 * asserted (docs/behaviour.md#workspaces-tokens-and-roles). Nothing here touches Temporal.
 *
 * For each way a token can be stored (a bare sha256, as before; a salted scrypt hash), a workspace
 * with three tokens, authenticated with its last one:
 * 1. `registry.authenticate` on a token verified moments ago (the cache), and on a token it has not
 *    seen (every token of the workspace hashed);
 * 2. a whole request through the API's middleware (POST to an unknown /v2 path: authentication,
 *    then the NOT_FOUND envelope), the median of many, beside the same request without credentials.
 */
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { createEngineServices } from '../api/services';
import { hashToken } from '../src/infra/auth/token-hash';
import { parseWorkspacesFile, sha256Hex, WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import { createLogger } from '../src/infra/logger';

const TOKENS = ['measure-token-0-0123456789abcdef0123', 'measure-token-1-0123456789abcdef0123', 'measure-token-2-0123456789abcdef0123'];
const TOKEN = TOKENS[2] as string;
const REQUESTS = 2_000;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number): string => `${value.toFixed(3)} ms`;

const timeEach = async (times: number, run: () => Promise<unknown>): Promise<number[]> => {
  const taken: number[] = [];
  for (let index = 0; index < times; index += 1) {
    const started = performance.now();
    await run();
    taken.push(performance.now() - started);
  }
  return taken;
};

const registryOf = async (kind: 'sha256' | 'scrypt'): Promise<WorkspaceRegistry> => {
  const authTokens = await Promise.all(
    TOKENS.map(async (token) =>
      kind === 'sha256' ? { sha256: sha256Hex(token), role: 'admin' } : { scrypt: await hashToken(token), role: 'admin' },
    ),
  );
  return new WorkspaceRegistry(parseWorkspacesFile(JSON.stringify([{ apiKey: 'measure', authTokens }]), 'measure'));
};

const connection = Connection.lazy({ address: '127.0.0.1:1' });
const requestThrough = (registry: WorkspaceRegistry) => {
  const app = createApp({
    logger: createLogger('measure', 'silent'),
    registry,
    services: createEngineServices(new Client({ connection }), 'measure', { secretsKey: undefined, allowPrivateWebhookTargets: false }),
    checkReadiness: () => Promise.resolve({ temporal: true, workerPolling: true }),
  });
  return (credentials: boolean) =>
    app.request('/v2/workflow/measure/nothing', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(credentials ? { 'x-velt-api-key': 'measure', 'x-velt-auth-token': TOKEN } : {}) },
      body: '{"data":{}}',
    });
};

for (const kind of ['sha256', 'scrypt'] as const) {
  const registry = await registryOf(kind);
  // A fresh registry has seen no token; building it (hashing the file's tokens) is not timed.
  const uncached: number[] = [];
  for (let index = 0; index < (kind === 'scrypt' ? 10 : 1_000); index += 1) {
    const each = await registryOf(kind);
    const started = performance.now();
    await each.authenticate('measure', TOKEN, Date.now());
    uncached.push(performance.now() - started);
  }
  await registry.authenticate('measure', TOKEN, Date.now());
  const cached = await timeEach(REQUESTS, () => registry.authenticate('measure', TOKEN, Date.now()));
  const send = requestThrough(registry);
  await send(true);
  const withAuth = await timeEach(REQUESTS, async () => send(true));
  const withoutAuth = await timeEach(REQUESTS, async () => send(false));
  console.log(`${kind} entries (3 tokens in the workspace):`);
  console.log(`  authenticate, token not seen before: median ${ms(median(uncached))}`);
  console.log(`  authenticate, token verified before: median ${ms(median(cached))}`);
  console.log(`  request with credentials (verified before): median ${ms(median(withAuth))}`);
  console.log(`  request without credentials (refused before any hashing): median ${ms(median(withoutAuth))}`);
}
await connection.close();
