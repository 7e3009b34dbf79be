import type { CanonicalDefinition } from './canonical';
import type { UpdateDefinitionRequest } from './schema';

/**
 * Partial update (decisions §3): the fields sent replace the author's stored input, the rest keep
 * their value (null clears an optional one), and the result is validated like a create. Merging
 * into the author's input, not the desugared form, keeps `onReject` shorthands working.
 */
export const mergeDefinitionUpdate = (stored: CanonicalDefinition, update: UpdateDefinitionRequest): unknown => {
  const { definitionId: _id, ifVersion: _version, ...changes } = update;
  const sent = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  return { ...stored.source, ...sent };
};
