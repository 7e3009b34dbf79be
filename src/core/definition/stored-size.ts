import { utf8Length } from '../utf8-length';
import type { CanonicalDefinition } from './canonical';
import type { Violation } from './violation';

/**
 * The stored (canonical) form of a definition travels whole in Temporal payloads: the Update that
 * writes it and every dispatch's workflow input, next to a trigger context of up to 256 KiB
 * (768 KiB in UTF-8). 1 MiB keeps both under Temporal's default 2 MiB blob limit, which Temporal
 * enforces on an Update by terminating the workflow (docs/behaviour.md, "Limits").
 */
export const STORED_DEFINITION_MAX_BYTES = 1024 * 1024;

const format = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** The last write-time check: infix `when`s are stored as their longer JSON form, so a body under 1 MiB can grow past it. */
export const storedSizeViolations = (definition: CanonicalDefinition): Violation[] => {
  const bytes = utf8Length(JSON.stringify(definition));
  if (bytes <= STORED_DEFINITION_MAX_BYTES) return [];
  return [
    {
      code: 'definition-too-large',
      message: `data: the definition takes ${format(bytes)} bytes once stored (canonical JSON, UTF-8), over the ${format(STORED_DEFINITION_MAX_BYTES)}-byte limit`,
    },
  ];
};
