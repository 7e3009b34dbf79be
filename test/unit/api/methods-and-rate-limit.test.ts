import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../../api/endpoints';
import type { RateLimitOptions } from '../../../api/middleware/rate-limit';
import { FakeServices } from '../../support/fake-services';
import { inMemoryApi, inMemoryWorkspaces, type InMemoryApi } from '../../support/in-memory-api';
import type { Credentials } from '../../support/test-workspaces';

const workspaces = await inMemoryWorkspaces();
const { a, b } = workspaces;

/**
 * The API in memory. Every request here is answered before any service is reached (405, 401, 429,
 * or a validation refusal), so no Temporal is needed; a service call would throw.
 */
const appWith = (rateLimit?: RateLimitOptions) => inMemoryApi({ workspaces, ...(rateLimit ? { rateLimit } : {}) });

// Refused by validation (definitionId missing): counted by the limiter like any request.
const post = (api: InMemoryApi, credentials: Credentials) => api.post('/v2/workflow/definitions/get', {}, credentials);

describe('methods other than POST', () => {
  it.each(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
    '%s on every known path is 405 with Allow: POST and the envelope',
    async (method) => {
      const { app } = appWith();
      for (const endpoint of ENDPOINTS) {
        const response = await app.request(endpoint.path, { method });
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe('POST');
        expect(await response.json()).toEqual({
          error: { status: 'INVALID_ARGUMENT', message: `method ${method} is not allowed on ${endpoint.path}; use POST` },
        });
      }
    },
  );

  it('keeps NOT_FOUND for unknown paths, whatever the method', async () => {
    const { app } = appWith();
    for (const method of ['GET', 'POST']) {
      const response = await app.request('/v2/workflow/definitions/rename', {
        method,
        headers: { 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': a.admin.authToken },
      });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
    }
  });
});

describe('rate limit per workspace', () => {
  it('is off unless configured', async () => {
    const app = appWith();
    for (let i = 0; i < 200; i += 1) expect((await post(app, a.admin)).status).toBe(400);
  });

  it('answers 429 RESOURCE_EXHAUSTED with Retry-After once the burst is spent, and refills at the rate', async () => {
    let now = 1_000_000;
    const app = appWith({ perMinute: 60, burst: 5, now: () => now });
    for (let i = 0; i < 5; i += 1) expect((await post(app, a.admin)).status).toBe(400);
    const limited = await post(app, a.admin);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({
      error: {
        status: 'RESOURCE_EXHAUSTED',
        message: 'rate limit exceeded: this workspace may make 60 requests per minute (bursts of 5); retry after 1 s',
      },
    });
    // Both tokens of the workspace (admin, member) share its budget.
    expect((await post(app, a.member)).status).toBe(429);

    now += 1_000;
    expect((await post(app, a.admin)).status).toBe(400);
    expect((await post(app, a.admin)).status).toBe(429);
  });

  it('gives Retry-After as the whole seconds until the next request is allowed', async () => {
    const now = 0;
    const app = appWith({ perMinute: 2, burst: 1, now: () => now });
    expect((await post(app, a.admin)).status).toBe(400);
    const limited = await post(app, a.admin);
    expect(limited.headers.get('retry-after')).toBe('30');
  });

  it('never lets one workspace spend another one’s budget', async () => {
    const app = appWith({ perMinute: 60, burst: 3, now: () => 0 });
    for (let i = 0; i < 10; i += 1) await post(app, a.admin);
    expect((await post(app, a.admin)).status).toBe(429);
    for (let i = 0; i < 3; i += 1) expect((await post(app, b)).status).toBe(400);
    expect((await post(app, b)).status).toBe(429);
  });

  it('counts only authenticated requests (a wrong token is 401, never 429)', async () => {
    const app = appWith({ perMinute: 60, burst: 1, now: () => 0 });
    for (let i = 0; i < 5; i += 1) expect((await post(app, { apiKey: a.admin.apiKey, authToken: 'wrong' })).status).toBe(401);
    expect((await post(app, a.admin)).status).toBe(400);
  });
});

describe('rate limit of inbound trigger deliveries', () => {
  const deliver = (api: InMemoryApi, apiKey: string) =>
    api.app.request(`/v2/workflow/webhook-inbound/trigger?apiKey=${apiKey}&definitionId=def-1&triggerId=push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  // No definition has the trigger: a delivery that gets past the limit reads the definition and is 404.
  const apiWith = (rateLimit?: RateLimitOptions) => {
    const fake = new FakeServices().answer('definitions', 'get', () => Promise.resolve(null));
    return inMemoryApi({ workspaces, fake, ...(rateLimit ? { rateLimit } : {}) });
  };

  it('is off unless configured', async () => {
    const api = apiWith();
    for (let i = 0; i < 50; i += 1) expect((await deliver(api, a.admin.apiKey)).status).toBe(404);
  });

  it('gives each workspace an inbound budget of its own, spent before the definition is read', async () => {
    let now = 0;
    const api = apiWith({ perMinute: 60, burst: 2, now: () => now });
    for (let i = 0; i < 2; i += 1) expect((await deliver(api, a.admin.apiKey)).status).toBe(404);
    const limited = await deliver(api, a.admin.apiKey);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({
      ok: false,
      code: 'rate-limited',
      message: 'inbound deliveries to this workspace are limited to 60 per minute (bursts of 2); retry after 1 s',
    });
    expect(api.fake.callsOf('definitions.get')).toHaveLength(2);
    // Another workspace's deliveries, and this workspace's own API calls, have budgets of their own.
    expect((await deliver(api, b.apiKey)).status).toBe(404);
    expect((await post(api, a.admin)).status).toBe(400);
    now += 1_000;
    expect((await deliver(api, a.admin.apiKey)).status).toBe(404);
    expect((await deliver(api, a.admin.apiKey)).status).toBe(429);
  });

  it('counts no delivery whose API key is not registered', async () => {
    const api = apiWith({ perMinute: 60, burst: 1, now: () => 0 });
    for (let i = 0; i < 5; i += 1) expect((await deliver(api, 'not-a-key')).status).toBe(401);
    expect((await deliver(api, a.admin.apiKey)).status).toBe(404);
  });
});
