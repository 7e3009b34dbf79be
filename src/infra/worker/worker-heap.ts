/**
 * The worker's V8 heap limit (docs/operations.md, "Worker memory"). Node lets a heap grow toward its
 * limit before it collects the contexts of evicted workflows, so with Node's default limit a worker
 * holding many parked runs sat at about 1.9 GiB; at 768 MiB it stays near 0.7 GiB and decides faster
 * (docs/bench.md, "P4 at 10,000 parked runs"). The limit is a Node flag, so the engine's launchers
 * pass it when they start the worker process.
 */
export const DEFAULT_WORKER_HEAP_MIB = 768;

const HEAP_FLAG = /--max-old-space-size[= ]/;

/**
 * The flag to start the worker with: `heapMiB` (0 leaves Node's default), unless NODE_OPTIONS
 * already sets a limit of its own, which wins.
 */
export const workerHeapArgs = (heapMiB: number, nodeOptions: string | undefined): string[] => {
  if (heapMiB === 0 || (nodeOptions !== undefined && HEAP_FLAG.test(nodeOptions))) return [];
  return [`--max-old-space-size=${heapMiB}`];
};
