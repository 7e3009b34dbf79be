/**
 * Strict structural equality for JSON-like values: no coercion, arrays by position, objects by own
 * enumerable keys. Cycles are handled by assuming a pair already under comparison is equal.
 */
export const deepEqual = (a: unknown, b: unknown): boolean => equal(a, b, [], []);

const equal = (a: unknown, b: unknown, seenA: unknown[], seenB: unknown[]): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aIsArray = Array.isArray(a);
  if (aIsArray !== Array.isArray(b)) return false;
  for (let i = seenA.length - 1; i >= 0; i -= 1) {
    if (seenA[i] === a && seenB[i] === b) return true;
  }
  seenA.push(a);
  seenB.push(b);
  const result = aIsArray ? arraysEqual(a as unknown[], b as unknown[], seenA, seenB) : objectsEqual(a, b, seenA, seenB);
  seenA.pop();
  seenB.pop();
  return result;
};

const arraysEqual = (a: unknown[], b: unknown[], seenA: unknown[], seenB: unknown[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    if (!equal(a[i], b[i], seenA, seenB)) return false;
  }
  return true;
};

const objectsEqual = (a: object, b: object, seenA: unknown[], seenB: unknown[]): boolean => {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  for (const key of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!equal(recordA[key], recordB[key], seenA, seenB)) return false;
  }
  return true;
};
