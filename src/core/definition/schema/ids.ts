import { z } from 'zod';
import { LIMITS } from './limits';

export { DefinitionIdSchema } from '../../requests/common';

export const NodeIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.nodeIdMaxChars)
  .meta({ description: 'Node id, unique within the definition (1–64 chars).' });

export const WhenSourceSchema = z
  .string()
  .max(LIMITS.whenMaxChars)
  .meta({ description: 'A `when` expression: a string holding a JSON AST (an infix form is tolerated and normalised).' });

/** No duplicates inside one id list; a repeat is almost always a typo and would skew counts. */
export const uniqueIds = (ids: readonly string[]): boolean => new Set(ids).size === ids.length;
