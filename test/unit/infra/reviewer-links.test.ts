import * as crypto from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { ReviewerLinks, REVIEW_PATH } = await import('../../../src/infra/ui/reviewer-links');
const { reviewerLinksForStep } = await import('../../../src/infra/ui/step-links');

const KEY = Buffer.alloc(32, 3).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 4).toString('base64');
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 27, 9);
const ADDRESS = { workspaceId: 'ws_a', executionId: 'exec_1', stepId: 'step_review_1', reviewerId: 'alice' };

const links = (key = KEY) => new ReviewerLinks({ secretsKey: key, publicUrl: 'https://approvals.example.com/', lifetimeMs: 24 * HOUR });
const tokenOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

describe('reviewer links', () => {
  it('point at the public URL and carry what they are bound to until they expire', () => {
    const link = links().mint(ADDRESS, T0);
    expect(link.url.startsWith(`https://approvals.example.com${REVIEW_PATH}/v1.`)).toBe(true);
    expect(link).toMatchObject({ reviewerId: 'alice', expiresAt: T0 + 24 * HOUR });
    expect(links().verify(tokenOf(link.url), T0 + HOUR)).toEqual({ ok: true, claims: { ...ADDRESS, expiresAt: T0 + 24 * HOUR } });
  });

  it('are the same link for the same step and reviewer, whenever minted', () => {
    expect(links().mint(ADDRESS, T0)).toEqual(links().mint(ADDRESS, T0));
    expect(links().mint(ADDRESS, T0).url).not.toBe(links().mint({ ...ADDRESS, reviewerId: 'bob' }, T0).url);
  });

  it('are refused once expired, at the exact expiry instant too', () => {
    const token = tokenOf(links().mint(ADDRESS, T0).url);
    expect(links().verify(token, T0 + 24 * HOUR - 1).ok).toBe(true);
    expect(links().verify(token, T0 + 24 * HOUR)).toEqual({ ok: false, reason: 'expired' });
  });

  it('cannot be re-bound: changing any claim (reviewer, step, run, workspace, expiry) breaks the signature', () => {
    const token = tokenOf(links().mint(ADDRESS, T0).url);
    const [version, body, mac] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    for (const change of [{ r: 'mallory' }, { s: 'step_other_1' }, { e: 'exec_2' }, { w: 'ws_b' }, { x: claims.x + 365 * 24 * HOUR }]) {
      const forged = `${version}.${Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url')}.${mac}`;
      expect(links().verify(forged, T0)).toEqual({ ok: false, reason: 'bad-signature' });
    }
  });

  it('refuses a tampered MAC, a link from another secrets key and garbage', () => {
    const token = tokenOf(links().mint(ADDRESS, T0).url);
    const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect(links().verify(flipped, T0)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(links(OTHER_KEY).verify(token, T0)).toEqual({ ok: false, reason: 'bad-signature' });
    for (const garbage of ['', 'v1', 'v1..', 'v2.e30.AAAA', `v1.e30.${'A'.repeat(5000)}`, token.replace('v1.', 'v0.')]) {
      expect(links().verify(garbage, T0)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('compares MACs in constant time (timingSafeEqual), also for a wrong one', () => {
    const token = tokenOf(links().mint(ADDRESS, T0).url);
    links().verify(token, T0);
    links().verify(token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'), T0);
    expect(vi.mocked(crypto.timingSafeEqual)).toHaveBeenCalledTimes(2);
  });

  it('uses a key derived for links, not the secrets key itself', () => {
    const body = Buffer.from(JSON.stringify({ w: 'ws_a', e: 'exec_1', s: 'step_review_1', r: 'alice', x: T0 + HOUR })).toString(
      'base64url',
    );
    const macUnderRawKey = crypto.createHmac('sha256', Buffer.from(KEY, 'base64')).update(`v1.${body}`).digest('base64url');
    expect(links().verify(`v1.${body}.${macUnderRawKey}`, T0)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('are minted for each declared reviewer of a human step, and for no other step', () => {
    const human = {
      stepId: 'step_review_1',
      nodeType: 'human',
      status: 'waiting',
      startedAt: T0,
      output: { reviewerIds: ['alice', 'bob'] },
    };
    const minted = reviewerLinksForStep(links(), { workspaceId: 'ws_a', executionId: 'exec_1' }, human);
    expect(minted?.map((link) => link.reviewerId)).toEqual(['alice', 'bob']);
    expect(minted?.[1]).toEqual(links().mint({ ...ADDRESS, reviewerId: 'bob' }, T0));
    expect(reviewerLinksForStep(links(), { workspaceId: 'ws_a', executionId: 'exec_1' }, { ...human, nodeType: 'agent' })).toBeNull();
  });
});
