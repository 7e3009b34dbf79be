import type { Adjacency } from '../graph';

/** Tarjan's strongly connected components; nodes in `order`, components in discovery order. */
const components = (order: readonly string[], adjacency: Adjacency): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  const visit = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter += 1;
    stack.push(id);
    onStack.add(id);
    for (const next of adjacency.get(id) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id) as number, index.get(next) as number));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      found.push(component);
    }
  };
  for (const id of order) if (!index.has(id)) visit(id);
  return found;
};

/** Shortest path from `start` back to itself inside one component. */
const cycleThrough = (start: string, members: ReadonlySet<string>, adjacency: Adjacency): string[] => {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head] as string;
    for (const next of adjacency.get(id) ?? []) {
      if (next === start) {
        const path = [id];
        while (path[0] !== start) path.unshift(parent.get(path[0] as string) as string);
        return [...path, start];
      }
      if (members.has(next) && !parent.has(next)) {
        parent.set(next, id);
        queue.push(next);
      }
    }
  }
  return [start, start];
};

/** One concrete cycle per cyclic component, each starting at its first node in `order`. */
export const findCycles = (order: readonly string[], adjacency: Adjacency): string[][] => {
  const position = new Map(order.map((id, i) => [id, i]));
  return components(order, adjacency)
    .filter((component) => component.length > 1 || (adjacency.get(component[0] as string) ?? []).includes(component[0] as string))
    .map((component) => {
      const start = [...component].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0))[0] as string;
      return cycleThrough(start, new Set(component), adjacency);
    })
    .sort((a, b) => (position.get(a[0] as string) ?? 0) - (position.get(b[0] as string) ?? 0));
};
