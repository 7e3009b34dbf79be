import { condition } from '@temporalio/workflow';
import type { EngineError } from '../../src/core/errors';

/**
 * Applies an accepted Update once the execution state admits it.
 *
 * Live, the validator has just passed on the same state, so the Update applies at once and
 * synchronously, in the same command order every recorded history has. On replay, Temporal can hand
 * an Update to the workflow before the other events of its workflow task, although the worker that
 * accepted it had applied them first (e.g. the agent result that created the step being decided: it
 * happens when the decision arrives while that result's workflow task is still pending, typically
 * around a worker restart). Refusing there would fail every replay of the run for good; so a problem
 * that a later event can still clear (`clearsLater`: the step does not exist yet, or is not waiting
 * yet) waits until the state the validator saw is back, which comes within the same activation.
 * Any other problem is a refusal (thrown, so the caller gets its envelope), the same live and on
 * replay, since the state it depends on never goes back.
 */
export const whenAdmitted = <R>(
  problem: () => EngineError | null,
  clearsLater: (problem: EngineError) => boolean,
  apply: () => R,
): R | Promise<R> => {
  const found = problem();
  if (found === null) return apply();
  if (!clearsLater(found)) throw found;
  return condition(() => problem() === null).then(apply);
};
