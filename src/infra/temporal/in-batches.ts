/** Maps `items` with at most `size` calls in flight at once (a batch finishes before the next starts). */
export const mapInBatches = async <T, R>(items: readonly T[], size: number, map: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(map))));
  }
  return results;
};
