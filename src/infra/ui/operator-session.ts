import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../auth/workspace-registry';
import { deriveKey } from '../secrets/derived-keys';
import { openClaims, signClaims } from '../secrets/signed-token';

export const SESSION_COOKIE = 'approval_session';
/** The cookie is sent to the pages only, never to the REST API. */
export const SESSION_COOKIE_PATH = '/ui';

export interface OperatorSession {
  workspaceId: string;
  role: Role;
  expiresAt: number;
  /** Random per sign-in; the CSRF token is derived from it. */
  sessionId: string;
}

export interface CookieOptions {
  /** Set when the page was reached over https (directly or through a proxy that says so). */
  secure: boolean;
  maxAgeSeconds: number;
}

/** `Set-Cookie` for a session: HttpOnly (no script reads it), SameSite=Strict (no cross-site request carries it), Secure over https. */
export const sessionCookie = (value: string, { secure, maxAgeSeconds }: CookieOptions): string =>
  [
    `${SESSION_COOKIE}=${value}`,
    `Path=${SESSION_COOKIE_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');

export const clearedSessionCookie = (secure: boolean): string => sessionCookie('', { secure, maxAgeSeconds: 0 });

/** The sign-in form's own nonce (login CSRF): sent back only with a same-site POST to the sign-in form. */
export const SIGN_IN_COOKIE = 'approval_sign_in';
export const SIGN_IN_COOKIE_PATH = '/ui/sign-in';
const SIGN_IN_NONCE = /^[A-Za-z0-9_-]{22}$/;

export const signInCookie = (nonce: string, { secure, maxAgeSeconds }: CookieOptions): string =>
  [
    `${SIGN_IN_COOKIE}=${nonce}`,
    `Path=${SIGN_IN_COOKIE_PATH}`,
    `Max-Age=${maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');

export const clearedSignInCookie = (secure: boolean): string => signInCookie('', { secure, maxAgeSeconds: 0 });

/** A fresh sign-in nonce, or the browser's own if it still has a well-formed one (two open sign-in tabs both work). */
export const signInNonce = (existing: string | undefined): string =>
  existing && SIGN_IN_NONCE.test(existing) ? existing : randomBytes(16).toString('base64url');

/**
 * Operator sign-in sessions (docs/ui.md, "Operator pages"): a signed, expiring cookie under a key
 * derived from APPROVAL_SECRETS_KEY, so the API keeps no session state and any API process can
 * read any session. Forms carry a CSRF token derived from the session.
 */
export class OperatorSessions {
  private readonly key: Buffer;

  constructor(
    secretsKey: string,
    readonly ttlMs: number,
  ) {
    this.key = deriveKey(secretsKey, 'operator-sessions');
  }

  issue(identity: { workspaceId: string; role: Role }, now: number): { value: string; session: OperatorSession } {
    const session: OperatorSession = { ...identity, expiresAt: now + this.ttlMs, sessionId: randomBytes(16).toString('base64url') };
    return {
      value: signClaims(this.key, { w: session.workspaceId, r: session.role, x: session.expiresAt, n: session.sessionId }),
      session,
    };
  }

  read(value: string | undefined, now: number): OperatorSession | undefined {
    if (!value) return undefined;
    const opened = openClaims(this.key, value);
    if (!opened.ok) return undefined;
    const { w, r, x, n } = opened.claims;
    if (typeof w !== 'string' || (r !== 'admin' && r !== 'member') || typeof x !== 'number' || typeof n !== 'string') return undefined;
    if (x <= now) return undefined;
    return { workspaceId: w, role: r, expiresAt: x, sessionId: n };
  }

  csrfToken(session: OperatorSession): string {
    return createHmac('sha256', this.key).update(`csrf:${session.sessionId}`).digest('base64url');
  }

  checkCsrf(session: OperatorSession, presented: unknown): boolean {
    return sameToken(presented, this.csrfToken(session));
  }

  /**
   * The sign-in form's CSRF token, bound to the nonce in the browser's sign-in cookie: a cross-site
   * page can neither read that cookie nor make the browser send it, so it cannot sign a victim into
   * the attacker's workspace (login CSRF).
   */
  signInCsrfToken(nonce: string): string {
    return createHmac('sha256', this.key).update(`sign-in:${nonce}`).digest('base64url');
  }

  checkSignInCsrf(nonce: string | undefined, presented: unknown): boolean {
    return !!nonce && SIGN_IN_NONCE.test(nonce) && sameToken(presented, this.signInCsrfToken(nonce));
  }
}

/** Constant-time comparison of a presented form token with the expected one. */
const sameToken = (presented: unknown, expected: string): boolean => {
  if (typeof presented !== 'string') return false;
  const given = Buffer.from(presented);
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
};
