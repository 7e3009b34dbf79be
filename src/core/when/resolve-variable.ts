import type { WhenScope } from './ast';
import { splitPath } from './variable-path';

const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

const child = (current: unknown, segment: string): unknown => {
  if (typeof current !== 'object' || current === null) return undefined;
  if (Array.isArray(current)) return ARRAY_INDEX.test(segment) ? (current[Number(segment)] as unknown) : undefined;
  // Own properties only, so "constructor" or "__proto__" never reach the prototype chain.
  if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
  return (current as Record<string, unknown>)[segment];
};

/** Walks `path` from the scope root; anything missing, or not plain data, is null. */
export const resolveVariable = (scope: WhenScope, path: string): unknown => {
  let current: unknown = scope;
  for (const segment of splitPath(path)) {
    current = child(current, segment);
    if (current === undefined) return null;
  }
  return typeof current === 'function' || typeof current === 'symbol' || current === undefined ? null : current;
};
