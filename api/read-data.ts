import type { Context } from 'hono';
import type { z } from 'zod';
import { EngineError } from '../src/core/errors';
import { describeJsonPath, MAX_JSON_DEPTH, pathPastDepth } from '../src/core/json-depth';
import { describeZodError, zodIssues } from '../src/core/zod-message';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `data` as parsed by the endpoint's schema, and as it was sent (key order and all). */
export interface RequestData<T> {
  parsed: T;
  raw: Record<string, unknown>;
}

/**
 * Reads the `{ "data": { ... } }` envelope and validates `data` against the endpoint's schema.
 * Every failure is INVALID_ARGUMENT with a message that names the offending field; a schema
 * failure also carries zod's issues in `details.issues` (docs/g3.md, "Errors").
 */
export const readData = async <S extends z.ZodType>(c: Context, schema: S): Promise<RequestData<z.infer<S>>> => {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new EngineError('INVALID_ARGUMENT', 'request body is not valid JSON');
  }
  // Before anything walks the body recursively (schemas, size checks, Temporal's serialiser).
  const tooDeep = pathPastDepth(body);
  if (tooDeep !== null) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `${describeJsonPath(tooDeep)}: nested too deeply (at most ${MAX_JSON_DEPTH} levels of arrays and objects in a request body)`,
    );
  }
  if (!isPlainObject(body)) throw new EngineError('INVALID_ARGUMENT', 'request body must be a JSON object { "data": { ... } }');
  const extra = Object.keys(body).filter((key) => key !== 'data');
  if (extra.length > 0) throw new EngineError('INVALID_ARGUMENT', `${extra.join(', ')}: unknown top-level field (only "data" is allowed)`);
  if (!('data' in body)) throw new EngineError('INVALID_ARGUMENT', 'data: required (wrap the request in { "data": { ... } })');
  if (!isPlainObject(body.data)) throw new EngineError('INVALID_ARGUMENT', 'data: must be an object');
  const parsed = schema.safeParse(body.data);
  if (!parsed.success) {
    const violations = describeZodError(parsed.error);
    throw new EngineError('INVALID_ARGUMENT', violations[0] ?? 'data: invalid', { violations, issues: zodIssues(parsed.error) });
  }
  return { parsed: parsed.data, raw: body.data };
};
