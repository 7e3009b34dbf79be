import type { RunAgent } from '../commands';
import { materializeInput } from '../read/inputs';
import type { AgentSpec } from '../plan';
import type { ExecutionState, StepState } from '../state';
import { findStep } from '../state';

const PREFIXES = ['execution.input.', 'triggerContext.'];

/** `urlPath` is a dot-path into the trigger context (spec §2.3); only a string value counts. */
export const resolveUrl = (urlPath: string | null, triggerContext: Record<string, unknown>): string | null => {
  if (urlPath === null || urlPath === '') return null;
  const prefix = PREFIXES.find((p) => urlPath.startsWith(p));
  const path = prefix ? urlPath.slice(prefix.length) : urlPath;
  let current: unknown = triggerContext;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return null;
    current = (current as Record<string, unknown>)[segment];
  }
  return typeof current === 'string' ? current : null;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const runAgentCommand = (state: ExecutionState, step: StepState, spec: AgentSpec): RunAgent => {
  const parent = step.parentStepId === null ? undefined : findStep(state, step.parentStepId);
  const mapping = spec.inputMapping;
  return {
    kind: 'runAgent',
    stepId: step.stepId,
    nodeId: step.nodeId,
    agentId: spec.agentId,
    url: resolveUrl(spec.urlPath, state.triggerContext),
    promptOverride: spec.promptOverride,
    input: {
      triggerContext: state.triggerContext,
      inputMapping: mapping,
      parentStepId: parent?.stepId ?? null,
      parentOutput: parent?.output ?? null,
      stepInput: materializeInput(state, step.input),
    },
    mock: isRecord(mapping) && Object.hasOwn(mapping, 'mock') ? mapping.mock : undefined,
    maxRuntimeMs: spec.maxRuntimeMs,
    blocking: spec.blocking,
  };
};
