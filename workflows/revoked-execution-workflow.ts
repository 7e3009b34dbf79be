/**
 * Holds the workflow id of an execution whose dispatch was pinned but never started, once a delete
 * has let the pin go: no start can take the id afterwards, so the dispatch that was about to start
 * it fails instead of running a deleted definition (docs/behaviour.md, "Definitions").
 */
export function revokedExecutionWorkflow(_input: { executionId: string }): Promise<void> {
  // Nothing to do: the workflow exists only to occupy the id.
  return Promise.resolve();
}
