import type { MiddlewareHandler } from 'hono';
import { EngineError } from '../../src/core/errors';
import { MIN_TOKEN_LENGTH } from '../../src/infra/auth/token-hash';
import type { Principal, WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';

export type AuthEnv = { Variables: { principal: Principal } };

export interface AuthOptions {
  registry: WorkspaceRegistry;
  now?: () => number;
}

/** Every `/v2` request must carry a valid `x-velt-api-key` + `x-velt-auth-token` pair. */
export const authenticate = ({ registry, now = Date.now }: AuthOptions): MiddlewareHandler<AuthEnv> =>
  async function authenticateRequest(c, next) {
    const apiKey = c.req.header('x-velt-api-key');
    const token = c.req.header('x-velt-auth-token');
    if (!apiKey) throw new EngineError('UNAUTHENTICATED', 'missing x-velt-api-key header');
    if (!token) throw new EngineError('UNAUTHENTICATED', 'missing x-velt-auth-token header');
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new EngineError(
        'UNAUTHENTICATED',
        `invalid x-velt-api-key / x-velt-auth-token pair: x-velt-auth-token is shorter than ${MIN_TOKEN_LENGTH} characters`,
      );
    }
    const principal = await registry.authenticate(apiKey, token, now());
    if (!principal) throw new EngineError('UNAUTHENTICATED', 'invalid x-velt-api-key / x-velt-auth-token pair');
    c.set('principal', principal);
    await next();
  };

/** `force-*` resolve actions and `/steps/cancel` need an admin token (docs/api.md, "Transport"). */
export const requireAdmin = (principal: Principal, what: string): void => {
  if (principal.role !== 'admin') throw new EngineError('PERMISSION_DENIED', `${what} requires an admin token`);
};
