import { condition } from '@temporalio/workflow';
import type { EngineError } from '../../src/core/errors';

/**
 * Applies an accepted Update once the execution state admits it.
 *
 * Live, the validator has just passed, so the Update applies at once and synchronously, in the same
 * command order every recorded history has. On replay, Temporal can hand an Update to the workflow
 * before the other events of its workflow task, although the worker that accepted it had applied
 * them first (e.g. the agent result that created the step being decided: it happens when the
 * decision arrives while that result's workflow task is still pending, typically around a worker
 * restart). Applying it there would fail every replay of the run for good; instead it waits until
 * the state the validator saw is back, which comes within the same activation.
 */
export const whenAdmitted = <R>(problem: () => EngineError | null, apply: () => R): R | Promise<R> =>
  problem() === null ? apply() : condition(() => problem() === null).then(apply);
