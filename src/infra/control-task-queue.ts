/**
 * The queue of the engine's per-workspace and per-definition workflows: workspace limiters,
 * definitions and their catalogs (docs/operations.md, "Task queues"). They answer every dispatch
 * and decision of their workspace, so the worker runs them apart from the runs themselves, on their
 * own workflow thread and cache: a burst of new runs never queues in front of them.
 */
export const controlTaskQueue = (taskQueue: string): string => `${taskQueue}-control`;
