import { timingSafeEqual } from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MIN_TOKEN_LENGTH } from '../../../src/infra/auth/token-hash';
import { workspaceIdFor } from '../../../src/infra/auth/workspace-registry';
import { FakeServices } from '../../support/fake-services';
import { bodyOf, inMemoryApi, inMemoryWorkspaces } from '../../support/in-memory-api';

// Every token comparison goes through node's constant-time compare; the spy counts them.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/*
 * Credentials on every `/v2` endpoint (docs/api.md, "Transport"; docs/behaviour.md, "Workspaces,
 * tokens and roles"), through the app in memory with the real registry (scrypt-hashed tokens).
 */

const workspaces = await inMemoryWorkspaces();
const { a, b } = workspaces;
const EXECUTION_ID = 'exec_1700000000000_abcdefgh';
const compares = vi.mocked(timingSafeEqual);

const answering = () => new FakeServices().answer('executions', 'get', () => Promise.resolve({ executionId: EXECUTION_ID } as never));

const get = (headers: Record<string, string>, fake = answering()) =>
  inMemoryApi({ workspaces, fake }).app.request('/v2/workflow/executions/get', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ data: { executionId: EXECUTION_ID } }),
  });

const unauthenticated = (message: string) => ({ error: { status: 'UNAUTHENTICATED', message } });
const INVALID_PAIR = 'invalid x-velt-api-key / x-velt-auth-token pair';

// A block body: a function returned from beforeEach would be run as its clean-up.
beforeEach(() => {
  compares.mockClear();
});

describe('credentials', () => {
  it.each([
    ['no headers', {}, 'missing x-velt-api-key header'],
    ['no token', { 'x-velt-api-key': a.admin.apiKey }, 'missing x-velt-auth-token header'],
    ['no API key', { 'x-velt-auth-token': a.admin.authToken }, 'missing x-velt-api-key header'],
    ['an empty token', { 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': '' }, 'missing x-velt-auth-token header'],
    [
      'a token under the minimum length',
      { 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': a.admin.authToken.slice(0, MIN_TOKEN_LENGTH - 1) },
      `${INVALID_PAIR}: x-velt-auth-token is shorter than ${MIN_TOKEN_LENGTH} characters`,
    ],
    ['an unknown API key', { 'x-velt-api-key': 'key-nobody', 'x-velt-auth-token': a.admin.authToken }, INVALID_PAIR],
    [
      'a full-length token that is not one of the workspace',
      { 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': `${a.admin.authToken.slice(0, -1)}X` },
      INVALID_PAIR,
    ],
    ["another workspace's token", { 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': b.authToken }, INVALID_PAIR],
  ])('%s is 401 UNAUTHENTICATED and reaches no service', async (_name, headers, message) => {
    const fake = answering();
    const response = await get(headers, fake);
    expect(response.status).toBe(401);
    expect(await bodyOf(response)).toEqual(unauthenticated(message));
    expect(fake.calls).toEqual([]);
  });

  it("a valid pair reaches the service as its own workspace, never another's", async () => {
    const fake = answering();
    expect((await get({ 'x-velt-api-key': a.member.apiKey, 'x-velt-auth-token': a.member.authToken }, fake)).status).toBe(200);
    expect((await get({ 'x-velt-api-key': b.apiKey, 'x-velt-auth-token': b.authToken }, fake)).status).toBe(200);
    expect(fake.callsOf('executions.get')).toEqual([
      [workspaceIdFor(a.member.apiKey), EXECUTION_ID],
      [workspaceIdFor(b.apiKey), EXECUTION_ID],
    ]);
    expect(workspaceIdFor(a.member.apiKey)).not.toBe(workspaceIdFor(b.apiKey));
  });
});

describe('the token compare', () => {
  // Workspace A holds two tokens (admin, member): both are compared, whichever matches.
  it('checks every token of the workspace in constant time, for a right and a wrong token alike', async () => {
    await get({ 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': a.admin.authToken });
    expect(compares).toHaveBeenCalledTimes(2);
    compares.mockClear();
    await get({ 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': `${a.admin.authToken.slice(0, -1)}X` });
    expect(compares).toHaveBeenCalledTimes(2);
    for (const [presented, stored] of compares.mock.calls) expect(presented.byteLength).toBe(stored.byteLength);
  });

  it('never hashes a token under the minimum length, nor one for an unknown API key', async () => {
    await get({ 'x-velt-api-key': a.admin.apiKey, 'x-velt-auth-token': 'short' });
    await get({ 'x-velt-api-key': 'key-nobody', 'x-velt-auth-token': a.admin.authToken });
    expect(compares).not.toHaveBeenCalled();
  });
});

describe('roles', () => {
  const STEP = { executionId: EXECUTION_ID, stepId: 'exec_1700000000000_abcdefgh:review:1' };
  const stepFake = () =>
    new FakeServices().answer('executions', 'stepUpdate', () => Promise.resolve({ stepId: STEP.stepId, status: 'cancelled' } as never));

  it.each([
    ['/v2/workflow/steps/cancel', { ...STEP, actorId: 'ops' }, '/steps/cancel requires an admin token'],
    [
      '/v2/workflow/steps/resolve',
      { ...STEP, action: 'force-approve', actorId: 'ops' },
      '/steps/resolve force-approve requires an admin token',
    ],
    [
      '/v2/workflow/steps/resolve',
      { ...STEP, action: 'force-reject', actorId: 'ops' },
      '/steps/resolve force-reject requires an admin token',
    ],
    [
      '/v2/workflow/steps/resolve',
      { ...STEP, action: 'force-complete', actorId: 'ops' },
      '/steps/resolve force-complete requires an admin token',
    ],
    ['/v2/workflow/steps/resolve', { ...STEP, action: 'force-fail', actorId: 'ops' }, '/steps/resolve force-fail requires an admin token'],
  ])('a member token on %s (%j) is 403 PERMISSION_DENIED before any Update', async (path, data, message) => {
    const fake = stepFake();
    const response = await inMemoryApi({ workspaces, fake }).post(path, data, a.member);
    expect(response.status).toBe(403);
    expect(await bodyOf(response)).toEqual({ error: { status: 'PERMISSION_DENIED', message } });
    expect(fake.calls).toEqual([]);
  });

  it.each([
    ['/v2/workflow/steps/cancel', { ...STEP, actorId: 'ops' }, a.admin],
    ['/v2/workflow/steps/resolve', { ...STEP, action: 'force-approve', actorId: 'ops' }, a.admin],
    ['/v2/workflow/steps/resolve', { ...STEP, action: 'reviewer-approve', actorId: 'u1' }, a.member],
    ['/v2/workflow/steps/recordReviewerDecision', { ...STEP, reviewerId: 'u1', decision: 'approve' }, a.member],
  ])('%s (%j) is open to the token given', async (path, data, credentials) => {
    const fake = stepFake();
    const response = await inMemoryApi({ workspaces, fake }).post(path, data, credentials);
    expect(response.status).toBe(200);
    expect(fake.callsOf('executions.stepUpdate')).toHaveLength(1);
  });
});
