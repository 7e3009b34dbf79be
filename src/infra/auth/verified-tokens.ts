import { createHmac, randomBytes } from 'node:crypto';

/** How long a verified token is taken on trust before it is hashed again (docs/behaviour.md#workspaces-tokens-and-roles). */
export const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;
/** Past this many, the oldest verified token is forgotten first. */
export const MAX_VERIFIED_TOKENS = 10_000;

/**
 * The tokens this process verified lately, so that a slow hash is paid once per token and five
 * minutes, not on every request. Entries are keyed by an HMAC of the API key and token under a key
 * that lives only in this process's memory: the cache never holds a token or an unsalted hash of
 * one. Only successes are kept.
 */
export class VerifiedTokens<T> {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, { value: T; verifiedAt: number }>();

  constructor(
    private readonly ttlMs: number = VERIFIED_TOKEN_TTL_MS,
    private readonly maxEntries: number = MAX_VERIFIED_TOKENS,
  ) {}

  keyFor(apiKey: string, token: string): string {
    return createHmac('sha256', this.key).update(apiKey).update('\0').update(token).digest('base64');
  }

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.verifiedAt >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, now: number): void {
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, verifiedAt: now });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Runs at most `limit` tasks at once; the rest wait their turn (slow hashes off a shared thread pool). */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so the count never overshoots.
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
