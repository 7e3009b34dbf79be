import type { RunAgent } from '../commands';
import { agentExecutionId } from '../ids';
import { materializeInput } from '../read/inputs';
import type { AgentSpec, Generation } from '../plan';
import type { ExecutionState, StepState } from '../state';
import { findStep } from '../state';

const PREFIXES = ['execution.input.', 'triggerContext.'];

/** A dot-path into the trigger context (docs/api.md, "Nodes"), with an optional `execution.input.` or `triggerContext.` prefix. */
const valueAt = (dotPath: string, triggerContext: Record<string, unknown>): unknown => {
  const prefix = PREFIXES.find((p) => dotPath.startsWith(p));
  const path = prefix ? dotPath.slice(prefix.length) : dotPath;
  let current: unknown = triggerContext;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
};

/** `urlPath` is a dot-path into the trigger context; only a string value counts. */
export const resolveUrl = (urlPath: string | null, triggerContext: Record<string, unknown>): string | null => {
  if (urlPath === null || urlPath === '') return null;
  const value = valueAt(urlPath, triggerContext);
  return typeof value === 'string' ? value : null;
};

/** `my-app.vercel.app` → `https://my-app.vercel.app`; a value with a scheme (`http://…`) is left alone. */
export const withScheme = (url: string): string => (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`);

export type AgentUrl = { kind: 'resolved'; url: string | null } | { kind: 'unresolved'; urlPath: string };

/**
 * The URL an agent works on (docs/behaviour.md, "G3 runtime"): the static `url` wins (a scheme-less
 * one gets `https://`); otherwise `urlPath` against the trigger context. A `g2` run passes that
 * value as found (null when it is not a string); a `g3` run adds the scheme, and a `urlPath` that
 * gives no non-empty string is `unresolved` (the step fails before the agent is called).
 */
export const agentUrl = (spec: AgentSpec, triggerContext: Record<string, unknown>, generation: Generation): AgentUrl => {
  if (spec.url !== null) return { kind: 'resolved', url: withScheme(spec.url) };
  const found = resolveUrl(spec.urlPath, triggerContext);
  if (generation === 'g2') return { kind: 'resolved', url: found };
  if (spec.urlPath === null) return { kind: 'resolved', url: null };
  return found === null || found.trim() === ''
    ? { kind: 'unresolved', urlPath: spec.urlPath }
    : { kind: 'resolved', url: withScheme(found) };
};

/** The URL reported in the step output (`resolvedUrl`); null for an unresolved one. */
export const resolvedUrlOf = (spec: AgentSpec, triggerContext: Record<string, unknown>, generation: Generation): string | null => {
  const url = agentUrl(spec, triggerContext, generation);
  return url.kind === 'resolved' ? url.url : null;
};

/** `userContextMapping` `{ field: dotPath }` read from the trigger context; a path that leads nowhere leaves its field out. */
export const userContextOf = (mapping: Record<string, string>, triggerContext: Record<string, unknown>): Record<string, unknown> => {
  const context: Record<string, unknown> = {};
  for (const [field, dotPath] of Object.entries(mapping)) {
    const value = valueAt(dotPath, triggerContext);
    if (value !== undefined) context[field] = value;
  }
  return context;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const runAgentCommand = (state: ExecutionState, step: StepState, spec: AgentSpec, generation: Generation): RunAgent => {
  const parent = step.parentStepId === null ? undefined : findStep(state, step.parentStepId);
  const mapping = spec.inputMapping;
  return {
    kind: 'runAgent',
    stepId: step.stepId,
    nodeId: step.nodeId,
    agentId: spec.agentId,
    url: resolvedUrlOf(spec, state.triggerContext, generation),
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
    ...(generation === 'g3' ? { agentExecutionId: agentExecutionId(step.stepId) } : {}),
    ...(spec.crossPageExecute === null ? {} : { crossPageExecute: spec.crossPageExecute }),
    ...(spec.maxUrlsToProcess === null ? {} : { maxUrlsToProcess: spec.maxUrlsToProcess }),
    ...(spec.pollIntervalMs === null ? {} : { pollIntervalMs: spec.pollIntervalMs }),
    ...(spec.userContextMapping === null ? {} : { userContext: userContextOf(spec.userContextMapping, state.triggerContext) }),
  };
};
