import { WORK_COSTS } from './limits';
import type { WorkBudget } from './work-budget';

interface Frame {
  a: unknown;
  b: unknown;
  /** Own keys of `a` (objects) or null (arrays); the children still to compare start at `next`. */
  keys: string[] | null;
  next: number;
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * Strict structural equality for JSON-like values: no coercion, arrays by position, objects by own
 * enumerable keys. Iterative, so no depth of data can overflow the stack; a pair already under
 * comparison on the current path is assumed equal (cycles end). Each array item or object entry
 * visited is charged to `budget`.
 */
export const deepEqual = (a: unknown, b: unknown, budget?: WorkBudget): boolean => {
  // Scalars (most gates compare one) need no walk at all.
  if (a === b) return true;
  if (!isContainer(a) || !isContainer(b)) return false;
  const path: Frame[] = [];
  // The `b` sides each `a` is being compared with on the current path: cycle checks in O(1), not O(depth).
  const onPath = new Map<object, object[]>();
  const charge = (count: number): void => budget?.charge(count * WORK_COSTS.comparedValue, () => 'comparing values');

  /** Compares two values shallowly; pushes a frame when both are containers still to walk. */
  const visit = (x: unknown, y: unknown): boolean => {
    if (x === y) return true;
    if (!isContainer(x) || !isContainer(y)) return false;
    const xIsArray = Array.isArray(x);
    if (xIsArray !== Array.isArray(y)) return false;
    const partners = onPath.get(x);
    if (partners?.includes(y)) return true;
    let keys: string[] | null = null;
    if (xIsArray) {
      if ((x as unknown[]).length !== (y as unknown[]).length) return false;
      charge((x as unknown[]).length);
    } else {
      keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      charge(keys.length);
    }
    path.push({ a: x, b: y, keys, next: 0 });
    if (partners) partners.push(y);
    else onPath.set(x, [y]);
    return true;
  };

  const leave = (frame: Frame): void => {
    path.pop();
    const partners = onPath.get(frame.a as object);
    partners?.pop();
    if (partners?.length === 0) onPath.delete(frame.a as object);
  };

  if (!visit(a, b)) return false;
  for (let frame = path.at(-1); frame !== undefined; frame = path.at(-1)) {
    const { keys } = frame;
    const size = keys === null ? (frame.a as unknown[]).length : keys.length;
    if (frame.next >= size) {
      leave(frame);
      continue;
    }
    const index = frame.next;
    frame.next += 1;
    if (keys === null) {
      if (!visit((frame.a as unknown[])[index], (frame.b as unknown[])[index])) return false;
      continue;
    }
    const key = keys[index] as string;
    if (!Object.prototype.hasOwnProperty.call(frame.b, key)) return false;
    if (!visit((frame.a as Record<string, unknown>)[key], (frame.b as Record<string, unknown>)[key])) return false;
  }
  return true;
};
