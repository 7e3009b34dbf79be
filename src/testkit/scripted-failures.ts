import { ApplicationFailure } from '@temporalio/activity';
import { DefaultLogger, type LogLevel, type LogMetadata } from '@temporalio/worker';

/** The failures a simulation's activities raised because the scenario said so (docs/simulate.md). */
const scripted = new WeakSet<Error>();

/** An activity failure the scenario asked for: non-retryable, and known to `SimulationLogger`. */
export const scriptedFailure = (options: { message: string; type: string; details: unknown[] }): ApplicationFailure => {
  const failure = ApplicationFailure.create({ ...options, nonRetryable: true });
  scripted.add(failure);
  return failure;
};

export const isScriptedFailure = (error: unknown): boolean => error instanceof Error && scripted.has(error);

/**
 * The SDK's logger, minus its "Activity failed" warning for failures a scenario scripted: the
 * simulation reports those as failed steps, and a stack trace for each would bury the output.
 */
export class SimulationLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (message === 'Activity failed' && isScriptedFailure(meta?.error)) return;
    super.log(level, message, meta);
  }
}
