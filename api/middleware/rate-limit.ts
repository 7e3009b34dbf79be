import type { MiddlewareHandler } from 'hono';
import { EngineError } from '../../src/core/errors';
import { workspaceBudget, type TokenBucketRate, type TokenTaken } from '../../src/core/limits/token-buckets';
import type { AuthEnv } from './auth';

/** Requests per minute each workspace may make on average, and at once after a quiet spell. */
export interface RateLimitOptions extends TokenBucketRate {
  now?: () => number;
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

/** Spends one of a workspace's requests, or says how long until it has one. */
export type TakeRequest = (workspaceId: string) => TokenTaken;

/** The workspaces' request budgets of one API process: `/v2` calls and the `/ui` pages spend from the same bucket. */
export const workspaceRequestBudget = (options: RateLimitOptions): TakeRequest => workspaceBudget(options, options.now).take;

/**
 * A token bucket per workspace, in this API process (docs/operations.md, "Rate limits"): each
 * request takes a token, tokens come back at `perMinute`, at most `burst` are kept. The map holds
 * one bucket per configured workspace, so its size is bounded by the registry.
 */
export const rateLimitPerWorkspace = (
  options: RateLimitOptions,
  takeRequest: TakeRequest = workspaceRequestBudget(options),
): MiddlewareHandler<AuthEnv> => {
  return async function limitRate(c, next) {
    const taken = takeRequest(c.get('principal').workspace.workspaceId);
    if (!taken.taken) throw new RateLimited(taken.retryAfterSeconds, options);
    await next();
  };
};
