import type { Context } from 'hono';
import type { TakeRequest } from '../middleware/rate-limit';
import { PAGE_HEADERS, RefusalPage } from './layout';

/**
 * Spends one of the workspace's requests for a page (docs/operations.md, "Rate limits"), or answers
 * the 429 page with `Retry-After` when its budget is spent; undefined when the page may go on.
 */
export const overBudget = (
  c: Context,
  takeRequest: TakeRequest | undefined,
  workspaceId: string,
): Response | Promise<Response> | undefined => {
  const taken = takeRequest?.(workspaceId);
  if (taken === undefined || taken.taken) return undefined;
  c.header('Retry-After', String(taken.retryAfterSeconds));
  return c.html(
    <RefusalPage
      title="Too many requests"
      message={`This workspace is sending requests faster than its limit allows. Nothing was recorded. Try again in ${taken.retryAfterSeconds} s.`}
    />,
    429,
    PAGE_HEADERS,
  );
};
