import { EngineError } from '../errors';
import type { ExecutionState } from '../interpreter/state';
import { jsonPayloadBytes } from './payload-size';

/**
 * Caps on what clients write into a run's outputs (docs/behaviour.md, "Output caps"), counted as
 * UTF-8 bytes of the JSON text, as Temporal stores it.
 */
/** One `output` of `steps/recordAgentResolution` or `steps/resolve`. */
export const MAX_RESOLUTION_OUTPUT_BYTES = 64 * 1024;
/** Every step output and every recorded resolution output of one execution together. */
export const MAX_EXECUTION_OUTPUT_BYTES = 1024 * 1024;

const format = (bytes: number): string => bytes.toLocaleString('en-US');

/** What a run's outputs weigh now: each step's output and each agent resolution's output. */
export const executionOutputBytes = (state: ExecutionState): number => {
  let total = 0;
  for (const step of state.steps) {
    total += jsonPayloadBytes(step.output);
    for (const resolution of step.agent?.resolutions ?? []) total += jsonPayloadBytes(resolution.output);
  }
  return total;
};

/** The message of a resolution output over its own cap (the request schema's refinement). */
export const resolutionOutputTooLarge = (bytes: number): string =>
  `at most ${format(MAX_RESOLUTION_OUTPUT_BYTES)} bytes as JSON (UTF-8), got ${format(bytes)}`;

/**
 * The refusal of an output that would take the execution's outputs over their cap, or null. Checked
 * before the Update is accepted, so nothing of a refused output reaches history.
 */
export const outputBudgetProblem = (state: ExecutionState, output: Record<string, unknown> | null | undefined): EngineError | null => {
  if (!output || Object.keys(output).length === 0) return null;
  const adding = jsonPayloadBytes(output);
  const total = executionOutputBytes(state) + adding;
  if (total <= MAX_EXECUTION_OUTPUT_BYTES) return null;
  return new EngineError(
    'INVALID_ARGUMENT',
    `data.output: ${format(adding)} bytes would bring execution ${state.executionId}'s outputs to ${format(total)} bytes, ` +
      `over their cap of ${format(MAX_EXECUTION_OUTPUT_BYTES)} (maxExecutionOutputBytes); nothing was recorded`,
  );
};
