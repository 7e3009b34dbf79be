import { describe, expect, it } from 'vitest';
import type { RateLimitOptions } from '../../../api/middleware/rate-limit';
import { executionNotFound } from '../../../src/core/errors';
import { workspaceIdFor } from '../../../src/infra/auth/workspace-registry';
import { ReviewerLinks } from '../../../src/infra/ui/reviewer-links';
import { FakeServices } from '../../support/fake-services';
import { inMemoryApi, inMemoryWorkspaces, type InMemoryApi } from '../../support/in-memory-api';

/*
 * The /ui pages spend from the workspace's request budget, the same bucket as its /v2 calls
 * (docs/operations.md, "Rate limits"). The fake engine knows no run, so a page that gets past the
 * limit asks for the run and shows "Run not found" (404).
 */

const workspaces = await inMemoryWorkspaces();
const { a, b } = workspaces;
const SECRETS_KEY = Buffer.alloc(32, 9).toString('base64');
const links = new ReviewerLinks({ secretsKey: SECRETS_KEY, publicUrl: 'http://engine.test', lifetimeMs: 3_600_000 });

const apiWith = (rateLimit?: RateLimitOptions): InMemoryApi => {
  const fake = new FakeServices({ reviewerLinks: links })
    .answer('executions', 'get', (_workspaceId, executionId) => Promise.reject(executionNotFound(executionId)))
    .answer('executions', 'workItem', (_workspaceId, executionId) => Promise.reject(executionNotFound(executionId)))
    .answer('executions', 'events', (_workspaceId, executionId) => Promise.reject(executionNotFound(executionId)));
  return inMemoryApi({ workspaces, fake, ui: { secretsKey: SECRETS_KEY, sessionTtlMs: 3_600_000 }, ...(rateLimit ? { rateLimit } : {}) });
};

const reviewPath = (): string =>
  new URL(
    links.mint({ workspaceId: workspaceIdFor(a.admin.apiKey), executionId: 'exec_1', stepId: 'step_1', reviewerId: 'u_1' }, Date.now()).url,
  ).pathname;

/** Signs workspace A's admin in on the operator pages and returns the session cookie. */
const signIn = async (api: InMemoryApi): Promise<string> => {
  const form = await api.app.request('/ui/sign-in');
  const signInCookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const signedIn = await api.app.request('/ui/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: signInCookie },
    body: new URLSearchParams({ csrf, apiKey: a.admin.apiKey, authToken: a.admin.authToken }).toString(),
  });
  expect(signedIn.status).toBe(303);
  return (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
};

const definitionsGet = (api: InMemoryApi, credentials = a.admin) => api.post('/v2/workflow/definitions/get', {}, credentials);

describe('rate limit of the /ui pages', () => {
  it('is off unless configured', async () => {
    const api = apiWith();
    const path = reviewPath();
    for (let i = 0; i < 30; i += 1) expect((await api.app.request(path)).status).toBe(404);
  });

  it("answers a reviewer link over the workspace's budget with 429 and Retry-After, before the run is read", async () => {
    const api = apiWith({ perMinute: 60, burst: 2, now: () => 0 });
    const path = reviewPath();
    for (let i = 0; i < 2; i += 1) expect((await api.app.request(path)).status).toBe(404);
    const limited = await api.app.request(path);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.text()).toContain('Too many requests');
    expect(api.fake.callsOf('executions.get')).toHaveLength(2);
    const post = await api.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=approve',
    });
    expect(post.status).toBe(429);
    // The pages and the API share the workspace's bucket; another workspace keeps its own.
    expect((await definitionsGet(api)).status).toBe(429);
    expect((await definitionsGet(api, b)).status).toBe(400);
  });

  it('answers the operator pages over the budget with 429 (signing in is not counted)', async () => {
    const api = apiWith({ perMinute: 60, burst: 1, now: () => 0 });
    const session = await signIn(api);
    expect((await api.app.request('/ui/runs/exec_1', { headers: { cookie: session } })).status).toBe(404);
    const limited = await api.app.request('/ui/runs/exec_1', { headers: { cookie: session } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(api.fake.callsOf('executions.get')).toHaveLength(1);
  });
});
