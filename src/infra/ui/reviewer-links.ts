import { publicUrlOf } from '../config';
import { deriveKey } from '../secrets/derived-keys';
import { openClaims, signClaims } from '../secrets/signed-token';

/** What one link lets its holder do: decide as this reviewer on this step of this run, until it expires. */
export interface ReviewerLinkClaims {
  workspaceId: string;
  executionId: string;
  stepId: string;
  reviewerId: string;
  expiresAt: number;
}

/** As it appears in `step.awaiting-approval` event data and on the step view (docs/ui.md). */
export interface ReviewerLink {
  reviewerId: string;
  url: string;
  expiresAt: number;
}

export interface ReviewerLinkSettings {
  /** APPROVAL_SECRETS_KEY (base64); links are MACed with a key derived from it. */
  secretsKey: string;
  /** APPROVAL_PUBLIC_URL: where reviewers reach the engine, e.g. https://approvals.example.com. */
  publicUrl: string;
  /** How long a link stays valid after its step started waiting. */
  lifetimeMs: number;
}

export type LinkCheck = { ok: true; claims: ReviewerLinkClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export const REVIEW_PATH = '/ui/review';

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Mints and checks reviewer links. A link's expiry counts from when the step started waiting, so
 * the same step and reviewer always give the same link: the webhook (on every retry) and the step
 * view agree, and nothing about a link lives anywhere but in the link.
 */
export class ReviewerLinks {
  private readonly key: Buffer;
  private readonly base: string;

  constructor(private readonly settings: ReviewerLinkSettings) {
    this.key = deriveKey(settings.secretsKey, 'reviewer-links');
    this.base = settings.publicUrl.replace(/\/+$/, '');
  }

  get lifetimeMs(): number {
    return this.settings.lifetimeMs;
  }

  token(claims: ReviewerLinkClaims): string {
    const { workspaceId: w, executionId: e, stepId: s, reviewerId: r, expiresAt: x } = claims;
    return signClaims(this.key, { w, e, s, r, x });
  }

  mint(address: Omit<ReviewerLinkClaims, 'expiresAt'>, waitingSince: number): ReviewerLink {
    const expiresAt = waitingSince + this.settings.lifetimeMs;
    return { reviewerId: address.reviewerId, url: `${this.base}${REVIEW_PATH}/${this.token({ ...address, expiresAt })}`, expiresAt };
  }

  verify(token: string, now: number): LinkCheck {
    const opened = openClaims(this.key, token);
    if (!opened.ok) return opened;
    const { w, e, s, r, x } = opened.claims;
    if (!isString(w) || !isString(e) || !isString(s) || !isString(r) || typeof x !== 'number') return { ok: false, reason: 'malformed' };
    if (x <= now) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { workspaceId: w, executionId: e, stepId: s, reviewerId: r, expiresAt: x } };
  }
}

/** Links are minted only when APPROVAL_REVIEWER_LINKS is on (config checks the secrets key is set too), at APPROVAL_PUBLIC_URL or its default. */
export const reviewerLinksFromConfig = (config: {
  APPROVAL_REVIEWER_LINKS: boolean;
  APPROVAL_PUBLIC_URL?: string | undefined;
  PORT: number;
  APPROVAL_SECRETS_KEY?: string | undefined;
  APPROVAL_REVIEW_LINK_TTL_SECONDS: number;
}): ReviewerLinks | undefined =>
  config.APPROVAL_REVIEWER_LINKS && config.APPROVAL_SECRETS_KEY
    ? new ReviewerLinks({
        secretsKey: config.APPROVAL_SECRETS_KEY,
        publicUrl: publicUrlOf(config),
        lifetimeMs: config.APPROVAL_REVIEW_LINK_TTL_SECONDS * 1000,
      })
    : undefined;
