import type { MiddlewareHandler } from 'hono';
import { EngineError } from '../../src/core/errors';
import type { AuthEnv } from './auth';

export interface RateLimitOptions {
  /** Requests per minute each workspace may make, on average. */
  perMinute: number;
  /** How many it may make at once after a quiet spell (the bucket's size). */
  burst: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** The answer of a limited request: how long until one more request is allowed (whole seconds, at least 1). */
export class RateLimited extends EngineError {
  constructor(
    readonly retryAfterSeconds: number,
    options: RateLimitOptions,
  ) {
    super(
      'RESOURCE_EXHAUSTED',
      `rate limit exceeded: this workspace may make ${options.perMinute} requests per minute (bursts of ${options.burst}); retry after ${retryAfterSeconds} s`,
    );
  }
}

/**
 * A token bucket per workspace, in this API process (docs/operations.md, "Rate limits"): each
 * request takes a token, tokens come back at `perMinute`, at most `burst` are kept. The map holds
 * one bucket per configured workspace, so its size is bounded by the registry.
 */
export const rateLimitPerWorkspace = (options: RateLimitOptions): MiddlewareHandler<AuthEnv> => {
  const now = options.now ?? Date.now;
  const perMs = options.perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  return async function limitRate(c, next) {
    const workspaceId = c.get('principal').workspace.workspaceId;
    const at = now();
    const bucket = buckets.get(workspaceId) ?? { tokens: options.burst, at };
    bucket.tokens = Math.min(options.burst, bucket.tokens + (at - bucket.at) * perMs);
    bucket.at = at;
    buckets.set(workspaceId, bucket);
    if (bucket.tokens < 1) {
      throw new RateLimited(Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)), options);
    }
    bucket.tokens -= 1;
    await next();
  };
};
