import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// Counts the slow hashes the registry runs; everything else of node:crypto is the real thing.
const scryptCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof NodeCrypto>();
  const scrypt = (...args: Parameters<typeof crypto.scrypt>) => {
    scryptCalls.count += 1;
    return (crypto.scrypt as (...a: unknown[]) => void)(...args);
  };
  return { ...crypto, default: { ...crypto, scrypt }, scrypt };
});

const { hashToken } = await import('../../../src/infra/auth/token-hash');
const { ConcurrencyLimit, VerifiedTokens, VERIFIED_TOKEN_TTL_MS } = await import('../../../src/infra/auth/verified-tokens');
const { parseWorkspacesFile, WorkspaceRegistry } = await import('../../../src/infra/auth/workspace-registry');

const TOKEN = 'a-token-of-thirty-two-characters!';
const WRONG = 'not-the-token-but-also-32-chars!';

const registryWith = async (tokens: number) => {
  const authTokens = [];
  for (let index = 0; index < tokens; index += 1) {
    authTokens.push({ scrypt: await hashToken(index === 0 ? TOKEN : `${TOKEN}-${index}`), role: index === 0 ? 'admin' : 'member' });
  }
  return new WorkspaceRegistry(parseWorkspacesFile(JSON.stringify([{ apiKey: 'k', authTokens }]), 'inline'));
};

describe('the verified-token cache', () => {
  it('hashes a token once per workspace token on first use, then not again until it expires', async () => {
    const registry = await registryWith(3);
    scryptCalls.count = 0;
    expect((await registry.authenticate('k', TOKEN, 0))?.role).toBe('admin');
    expect(scryptCalls.count).toBe(3);
    for (let request = 1; request <= 20; request += 1) await registry.authenticate('k', TOKEN, request * 1_000);
    expect(scryptCalls.count).toBe(3);
    expect((await registry.authenticate('k', TOKEN, VERIFIED_TOKEN_TTL_MS))?.role).toBe('admin');
    expect(scryptCalls.count).toBe(6);
  });

  it('keeps no failure: a wrong token is hashed every time', async () => {
    const registry = await registryWith(1);
    scryptCalls.count = 0;
    expect(await registry.authenticate('k', WRONG, 0)).toBeUndefined();
    expect(await registry.authenticate('k', WRONG, 1)).toBeUndefined();
    expect(scryptCalls.count).toBe(2);
  });

  it('hashes nothing for a short token or an unknown api key', async () => {
    const registry = await registryWith(1);
    scryptCalls.count = 0;
    expect(await registry.authenticate('k', 'short', 0)).toBeUndefined();
    expect(await registry.authenticate('unknown', TOKEN, 0)).toBeUndefined();
    expect(scryptCalls.count).toBe(0);
  });

  it('keys entries by API key and token under a per-process key, and forgets the oldest past its size', () => {
    const cache = new VerifiedTokens<string>(60_000, 2);
    const other = new VerifiedTokens<string>();
    const key = cache.keyFor('k', TOKEN);
    expect(key).not.toContain(TOKEN);
    expect(key).not.toBe(other.keyFor('k', TOKEN));
    expect(key).not.toBe(cache.keyFor('k2', TOKEN));
    cache.set(key, 'first', 0);
    cache.set(cache.keyFor('k', WRONG), 'second', 0);
    cache.set(cache.keyFor('k2', TOKEN), 'third', 0);
    expect(cache.size).toBe(2);
    expect(cache.get(key, 1)).toBeUndefined();
    expect(cache.get(cache.keyFor('k2', TOKEN), 59_999)).toBe('third');
    expect(cache.get(cache.keyFor('k2', TOKEN), 60_000)).toBeUndefined();
  });
});

describe('ConcurrencyLimit', () => {
  it('never runs more than its limit at once and runs every task', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        limit.run(async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 1));
          running -= 1;
          return index;
        }),
      ),
    );
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(2);
  });
});
