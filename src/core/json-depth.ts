/**
 * Request bodies may nest arrays and objects at most this deep (the `{ "data": … }` envelope is
 * level 1). Every recursive walk of client JSON (serialising it for Temporal, size checks,
 * comparisons) then has a small, known depth; docs/behaviour.md, "Limits".
 */
export const MAX_JSON_DEPTH = 64;

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/**
 * The path to the first array or object nested deeper than `maxDepth` (the root container is
 * depth 1), or null. Iterative: a client can nest as deep as it likes without overflowing the stack,
 * and the walk stops at the first container past the limit.
 */
interface Visit {
  value: object;
  depth: number;
  key: string | number | null;
  parent: Visit | null;
}

const pathOf = (visit: Visit): Array<string | number> => {
  const path: Array<string | number> = [];
  for (let at: Visit | null = visit; at !== null && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
};

export const pathPastDepth = (value: unknown, maxDepth: number = MAX_JSON_DEPTH): Array<string | number> | null => {
  if (!isContainer(value)) return null;
  const stack: Visit[] = [{ value, depth: 1, key: null, parent: null }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    if (visit.depth > maxDepth) return pathOf(visit);
    const entries: Array<[string | number, unknown]> = Array.isArray(visit.value)
      ? visit.value.map((item, index): [number, unknown] => [index, item])
      : Object.entries(visit.value);
    // Pushed last-first, so the walk (and the path reported) goes left to right.
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i] as [string | number, unknown];
      if (isContainer(child)) stack.push({ value: child, depth: visit.depth + 1, key, parent: visit });
    }
  }
  return null;
};

const SHOWN_SEGMENTS = 8;

/** `data.triggerContext.a[0].b…`: the path from the body root, cut after a few segments. */
export const describeJsonPath = (path: ReadonlyArray<string | number>): string => {
  const shown = path
    .slice(0, SHOWN_SEGMENTS)
    .reduce<string>((acc, key, i) => (typeof key === 'number' ? `${acc}[${key}]` : i === 0 ? key : `${acc}.${key}`), '');
  return path.length > SHOWN_SEGMENTS ? `${shown}…` : shown;
};
