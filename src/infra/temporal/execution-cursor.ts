import { EngineError } from '../../core/errors';

/** Opaque to callers: where the previous page ended (start time and the ids already returned at it). */
export interface ExecutionCursor {
  startedBefore: number | undefined;
  skipIds: string[];
}

export const encodeCursor = (cursor: ExecutionCursor): string =>
  Buffer.from(JSON.stringify({ s: cursor.startedBefore, k: cursor.skipIds }), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): ExecutionCursor => {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown };
    if (typeof parsed.s === 'number' && Array.isArray(parsed.k) && parsed.k.every((id) => typeof id === 'string')) {
      return { startedBefore: parsed.s, skipIds: parsed.k };
    }
  } catch {
    // fall through to the error below
  }
  throw new EngineError('INVALID_ARGUMENT', 'data.cursor: not a cursor returned by executions/list');
};
