import { EngineError } from '../../core/errors';

/**
 * Opaque to callers: where the previous page ended. Today's cursors carry Temporal's visibility page
 * token (with the bounds of the G3 cursor the listing began with); a cursor from before that carries
 * a start time and the ids already returned at it, and is still accepted.
 */
export interface ExecutionCursor {
  /** On the `ApprovalStartedAt` search attribute (the dispatch time). */
  startedBefore: number | undefined;
  skipIds: string[];
  /** A G3 cursor only: runs whose `startedAt` (as the view shows it) is not below it are left out. */
  viewStartedBefore?: number | undefined;
  /** Temporal's token for the next page of the same visibility query. */
  pageToken?: Uint8Array | undefined;
}

export const encodeCursor = (cursor: ExecutionCursor): string =>
  Buffer.from(
    JSON.stringify({
      s: cursor.startedBefore,
      k: cursor.skipIds,
      ...(cursor.viewStartedBefore === undefined ? {} : { v: cursor.viewStartedBefore }),
      ...(cursor.pageToken === undefined ? {} : { t: Buffer.from(cursor.pageToken).toString('base64') }),
    }),
    'utf8',
  ).toString('base64url');

const DECIMAL = /^\d{1,16}$/;

/**
 * A G3 cursor (docs/behaviour.md, "G3 runtime"): the `startedAt` of the last run a client saw, so
 * the next page holds the runs that started strictly before it. A run is dispatched (its search
 * attribute) before its view's `startedAt`, so the attribute bound selects a superset and the
 * view's own `startedAt` decides.
 */
const startedAtCursor = (startedAt: number): ExecutionCursor | null =>
  Number.isSafeInteger(startedAt) && startedAt >= 0 ? { startedBefore: startedAt - 1, skipIds: [], viewStartedBefore: startedAt } : null;

export const decodeCursor = (cursor: string | number): ExecutionCursor => {
  const decimal = typeof cursor === 'number' ? startedAtCursor(cursor) : DECIMAL.test(cursor) ? startedAtCursor(Number(cursor)) : null;
  if (decimal) return decimal;
  if (typeof cursor === 'number') throw notACursor();
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown; v?: unknown; t?: unknown };
    // The bounds go into the visibility query as integers: a fraction or an exponent there is a
    // query Temporal refuses, not a cursor this API made.
    const bound = parsed.s === undefined || Number.isSafeInteger(parsed.s);
    const viewBound = parsed.v === undefined || Number.isSafeInteger(parsed.v);
    if (bound && viewBound && Array.isArray(parsed.k) && parsed.k.every((id) => typeof id === 'string')) {
      return {
        startedBefore: parsed.s as number | undefined,
        skipIds: parsed.k,
        ...(parsed.v === undefined ? {} : { viewStartedBefore: parsed.v as number }),
        ...(typeof parsed.t === 'string' && parsed.t.length > 0 ? { pageToken: Buffer.from(parsed.t, 'base64') } : {}),
      };
    }
  } catch {
    // fall through to the error below
  }
  throw notACursor();
};

/** A cursor Temporal no longer accepts for this listing (e.g. its filters changed). */
export const invalidCursor = (): EngineError =>
  new EngineError('INVALID_ARGUMENT', 'data.cursor: not a cursor of this listing (send the same filters with it)');

const notACursor = (): EngineError =>
  new EngineError('INVALID_ARGUMENT', 'data.cursor: not a cursor returned by executions/list nor a startedAt in epoch milliseconds');
