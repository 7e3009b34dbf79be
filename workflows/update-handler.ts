import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { EngineError } from '../src/core/errors';

/**
 * What a caller must see leaves the workflow as an ApplicationFailure whose `type` is the wire
 * error code; the API's error mapper turns it back into the envelope.
 */
export const toApplicationFailure = (error: EngineError): ApplicationFailure =>
  ApplicationFailure.create({
    type: error.status,
    message: error.message,
    nonRetryable: true,
    details: error.details ? [error.details] : [],
  });

// The SDK types a handler by a conditional type over its definition, which a generic definition
// leaves unresolved; this is setHandler's Update overload written out.
const setUpdate = setHandler as <Ret, Args extends unknown[], Name extends string>(
  update: UpdateDefinition<Ret, Args, Name>,
  handler: (...args: Args) => Ret | Promise<Ret>,
  options?: { validator?: (...args: Args) => void },
) => void;

const asFailure = (error: unknown): unknown => (error instanceof EngineError ? toApplicationFailure(error) : error);

const refusingWithFailures =
  <Args extends unknown[], R>(fn: (...args: Args) => R) =>
  (...args: Args): R => {
    try {
      const result = fn(...args);
      // An async handler (one that waited, see execution/admitted-update.ts, or one that runs its
      // writes one at a time, see one-at-a-time.ts) refuses through its promise, converted the same way.
      return (
        result instanceof Promise
          ? result.catch((error: unknown) => {
              throw asFailure(error);
            })
          : result
      ) as R;
    } catch (error) {
      throw asFailure(error);
    }
  };

/**
 * `setHandler` for an Update whose refusals reach the caller, for every workflow of the engine.
 * An EngineError thrown by the validator (before anything is written to history) or by the
 * handler (a check it runs again on the state it finds) becomes an ApplicationFailure, which
 * rejects the Update and lets the workflow go on. Any other error is a bug: it fails the workflow
 * task, which Temporal retries until a fixed worker takes it.
 */
export const setUpdateHandler = <Ret, Args extends unknown[], Name extends string>(
  update: UpdateDefinition<Ret, Args, Name>,
  handler: (...args: Args) => Ret | Promise<Ret>,
  validator?: (...args: Args) => void,
): void => {
  setUpdate(update, refusingWithFailures(handler), validator ? { validator: refusingWithFailures(validator) } : undefined);
};
