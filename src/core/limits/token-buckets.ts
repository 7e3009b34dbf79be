export interface TokenBucketRate {
  /** Tokens each key gets per minute, on average. */
  perMinute: number;
  /** How many a key may spend at once after a quiet spell (the bucket's size). */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** A spent token, or how long until the next one (whole seconds, at least 1). */
export type TokenTaken = { taken: true } | { taken: false; retryAfterSeconds: number };

/**
 * One token bucket per key (docs/operations.md, "Rate limits"): each `take` spends a token, tokens
 * come back at `perMinute`, at most `burst` are kept. The caller bounds the keys (configured
 * workspaces), and so the memory.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(readonly rate: TokenBucketRate) {
    this.perMs = rate.perMinute / 60_000;
  }

  take(key: string, at: number): TokenTaken {
    const bucket = this.buckets.get(key) ?? { tokens: this.rate.burst, at };
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + (at - bucket.at) * this.perMs);
    bucket.at = at;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return { taken: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
    bucket.tokens -= 1;
    return { taken: true };
  }
}

/** Every workspace's budget of one kind of request (docs/operations.md, "Rate limits"), read on one clock. */
export interface WorkspaceBudget {
  rate: TokenBucketRate;
  take: (workspaceId: string) => TokenTaken;
}

export const workspaceBudget = (rate: TokenBucketRate, now: () => number = Date.now): WorkspaceBudget => {
  const buckets = new TokenBuckets(rate);
  return { rate, take: (workspaceId) => buckets.take(workspaceId, now()) };
};
