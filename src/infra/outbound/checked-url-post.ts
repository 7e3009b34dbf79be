import { postToCheckedAddress, type PostOutcome } from './checked-post';
import { resolveAndCheck, type LookupAll } from './ssrf-guard';

export interface CheckedUrlPost {
  /** Lifts the https and private-address rules (development, or an agent the operator marked internal). */
  allowPrivate: boolean;
  /** What the URL is called in refusal messages (`webhookUrl`, `agent copy-v1 url`). */
  subject?: string;
  lookup?: LookupAll;
  headers: Record<string, string>;
  body: Buffer;
  /** Default POST; a GET sends no body. */
  method?: 'GET' | 'POST';
  maxResponseBytes: number;
  /** Epoch ms by which resolving, connecting and the answer's status must be done. */
  deadline?: number;
  signal?: AbortSignal;
}

/** `refused`: the URL breaks a rule or does not resolve; nothing was sent. */
export type CheckedUrlOutcome = PostOutcome | { kind: 'refused'; reason: 'ssrf-blocked' | 'dns-failed'; message: string; detail?: string };

/**
 * The one way the engine POSTs to a URL a tenant or operator gave it (docs/behaviour.md#outbound-requests):
 * resolve the host, refuse when any of its addresses is forbidden, connect to the address that was
 * checked, read the answer with a byte cap. Never throws.
 */
export const postToCheckedUrl = async (url: string, post: CheckedUrlPost): Promise<CheckedUrlOutcome> => {
  let dnsTimer: NodeJS.Timeout | undefined;
  const deadlinePassed = new Promise<null>((resolve) => {
    if (post.deadline !== undefined) dnsTimer = setTimeout(() => resolve(null), Math.max(0, post.deadline - Date.now()));
  });
  const checked = await Promise.race([
    resolveAndCheck(url, {
      allowPrivate: post.allowPrivate,
      ...(post.subject === undefined ? {} : { subject: post.subject }),
      ...(post.lookup ? { lookup: post.lookup } : {}),
    }),
    deadlinePassed,
  ]).finally(() => clearTimeout(dnsTimer));
  if (checked === null) return { kind: 'unanswered', cause: 'timeout', detail: 'resolving the host took until the deadline' };
  if (!checked.ok) {
    return {
      kind: 'refused',
      reason: checked.reason,
      message: checked.message,
      ...(checked.detail === undefined ? {} : { detail: checked.detail }),
    };
  }
  return postToCheckedAddress({
    url: new URL(url),
    address: checked.address,
    family: checked.family,
    headers: post.headers,
    body: post.body,
    ...(post.method === undefined ? {} : { method: post.method }),
    maxResponseBytes: post.maxResponseBytes,
    ...(post.deadline === undefined ? {} : { deadline: post.deadline }),
    ...(post.signal === undefined ? {} : { signal: post.signal }),
  });
};
