import { describe, expect, it } from 'vitest';
import {
  OperatorSessions,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  clearedSessionCookie,
  clearedSignInCookie,
  sessionCookie,
  signInCookie,
  signInNonce,
} from '../../../src/infra/ui/operator-session';

const KEY = Buffer.alloc(32, 5).toString('base64');
const T0 = Date.UTC(2026, 10, 27, 9);
const HOUR = 3_600_000;

const attributes = (cookie: string): string[] => cookie.split('; ').slice(1);

describe('the operator session cookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to /ui and expiring, without Secure over http', () => {
    const cookie = sessionCookie('v1.abc.def', { secure: false, maxAgeSeconds: 28_800 });
    expect(cookie.startsWith(`${SESSION_COOKIE}=v1.abc.def; `)).toBe(true);
    expect(attributes(cookie).sort()).toEqual(['HttpOnly', 'Max-Age=28800', 'Path=/ui', 'SameSite=Strict']);
  });

  it('is Secure when the page is served over https, and clearing it keeps the flags', () => {
    expect(attributes(sessionCookie('v1.abc.def', { secure: true, maxAgeSeconds: 60 }))).toContain('Secure');
    expect(attributes(clearedSessionCookie(true)).sort()).toEqual(['HttpOnly', 'Max-Age=0', 'Path=/ui', 'SameSite=Strict', 'Secure']);
  });

  it('holds a signed workspace and role that read back until the session expires', () => {
    const sessions = new OperatorSessions(KEY, 8 * HOUR);
    const { value, session } = sessions.issue({ workspaceId: 'ws_a', role: 'admin' }, T0);
    expect(sessions.read(value, T0 + HOUR)).toEqual(session);
    expect(session.expiresAt).toBe(T0 + 8 * HOUR);
    expect(sessions.read(value, T0 + 8 * HOUR)).toBeUndefined();
  });

  it('cannot be forged: a changed role, another key or garbage reads as signed out', () => {
    const sessions = new OperatorSessions(KEY, HOUR);
    const { value } = sessions.issue({ workspaceId: 'ws_a', role: 'member' }, T0);
    const [version, body, mac] = value.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const promoted = `${version}.${Buffer.from(JSON.stringify({ ...claims, r: 'admin' })).toString('base64url')}.${mac}`;
    expect(sessions.read(promoted, T0)).toBeUndefined();
    expect(new OperatorSessions(Buffer.alloc(32, 6).toString('base64'), HOUR).read(value, T0)).toBeUndefined();
    expect(sessions.read('nonsense', T0)).toBeUndefined();
    expect(sessions.read(undefined, T0)).toBeUndefined();
  });

  it('gives each sign-in its own CSRF token, checked against that session only', () => {
    const sessions = new OperatorSessions(KEY, HOUR);
    const first = sessions.issue({ workspaceId: 'ws_a', role: 'admin' }, T0).session;
    const second = sessions.issue({ workspaceId: 'ws_a', role: 'admin' }, T0).session;
    expect(sessions.checkCsrf(first, sessions.csrfToken(first))).toBe(true);
    expect(sessions.checkCsrf(first, sessions.csrfToken(second))).toBe(false);
    expect(sessions.checkCsrf(first, undefined)).toBe(false);
    expect(sessions.checkCsrf(first, '')).toBe(false);
  });

  it('binds the sign-in form token to the browser nonce (login CSRF), in a cookie scoped to the form', () => {
    const sessions = new OperatorSessions(KEY, HOUR);
    const nonce = signInNonce(undefined);
    expect(signInNonce(nonce)).toBe(nonce); // a second tab keeps the browser's nonce
    expect(signInNonce('not a nonce')).not.toBe('not a nonce');
    const cookie = signInCookie(nonce, { secure: false, maxAgeSeconds: 3600 });
    expect(cookie.startsWith(`${SIGN_IN_COOKIE}=${nonce}; `)).toBe(true);
    expect(attributes(cookie).sort()).toEqual(['HttpOnly', 'Max-Age=3600', 'Path=/ui/sign-in', 'SameSite=Strict']);
    expect(attributes(clearedSignInCookie(true))).toEqual(expect.arrayContaining(['Max-Age=0', 'Secure']));

    const token = sessions.signInCsrfToken(nonce);
    expect(sessions.checkSignInCsrf(nonce, token)).toBe(true);
    expect(sessions.checkSignInCsrf(signInNonce(undefined), token)).toBe(false); // another browser's nonce
    expect(sessions.checkSignInCsrf(undefined, token)).toBe(false); // a cross-site post carries no nonce
    expect(sessions.checkSignInCsrf(nonce, undefined)).toBe(false);
    expect(new OperatorSessions(Buffer.alloc(32, 6).toString('base64'), HOUR).checkSignInCsrf(nonce, token)).toBe(false);
  });
});
