import { EngineError } from '../../core/errors';

/** Opaque to callers: where the previous page ended (start time and the ids already returned at it). */
export interface ExecutionCursor {
  /** On the `ApprovalStartedAt` search attribute (the dispatch time). */
  startedBefore: number | undefined;
  skipIds: string[];
  /** A G3 cursor only: runs whose `startedAt` (as the view shows it) is not below it are left out. */
  viewStartedBefore?: number | undefined;
}

export const encodeCursor = (cursor: ExecutionCursor): string =>
  Buffer.from(JSON.stringify({ s: cursor.startedBefore, k: cursor.skipIds }), 'utf8').toString('base64url');

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
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown };
    if (typeof parsed.s === 'number' && Array.isArray(parsed.k) && parsed.k.every((id) => typeof id === 'string')) {
      return { startedBefore: parsed.s, skipIds: parsed.k };
    }
  } catch {
    // fall through to the error below
  }
  throw notACursor();
};

const notACursor = (): EngineError =>
  new EngineError('INVALID_ARGUMENT', 'data.cursor: not a cursor returned by executions/list nor a startedAt in epoch milliseconds');
