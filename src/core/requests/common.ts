import { z } from 'zod';

/** `^[A-Za-z0-9:_\-.]{1,200}$`: idempotencyKey, correlationId, resolutionId (docs/api.md, "Common formats"). */
export const TokenIdSchema = z.string().regex(/^[A-Za-z0-9:_\-.]{1,200}$/, 'must match ^[A-Za-z0-9:_\\-.]{1,200}$');
export const DefinitionIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'must match ^[a-z0-9][a-z0-9-]{2,63}$');
// Strings that become part of a Temporal id or an indexed value (docs/api.md, "Common formats"):
// a lone surrogate has no UTF-8 form, so Temporal refuses it; PostgreSQL refuses U+0000 in text, so
// on a PostgreSQL cluster the call fails inside Temporal until the API's deadline.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const hasNoNul = (text: string): boolean => !text.includes('\u0000');
const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);
export const isStorableText = (text: string): boolean => hasNoNul(text) && isWellFormed(text);
export const storableText = (schema: z.ZodString): z.ZodString =>
  schema.refine(hasNoNul, 'must not contain U+0000 (NUL)').refine(isWellFormed, 'must be well-formed Unicode (it has a lone surrogate)');
export const ExecutionIdSchema = storableText(z.string().min(1).max(200));
export const StepIdSchema = z.string().min(1).max(400);
export const ActorIdSchema = z.string().min(1).max(256);
export const PageSizeSchema = (fallback: number) => z.number().int().min(1).max(500).default(fallback);

export const MAX_TRIGGER_CONTEXT_BYTES = 256 * 1024;
export const MAX_OUTPUT_VALUE_CHARS = 16 * 1024;

export const serializedLength = (value: unknown): number => JSON.stringify(value)?.length ?? 0;
