export type Serializer = <T>(run: () => T | Promise<T>) => Promise<T>;

/**
 * Runs handlers one after another, in the order they arrive: a handler that awaits (a signal to
 * another workflow, a child start) has finished before the next one looks at the state.
 */
export const oneAtATime = (): Serializer => {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(run: () => T | Promise<T>): Promise<T> => {
    const next = tail.then(run);
    tail = next.catch(() => undefined);
    return next;
  };
};
