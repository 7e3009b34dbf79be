import { EngineError } from '../errors';

/**
 * One problem found by the write-time pipeline. `code` is a linter code of spec §3, or one of
 * ours for the stages the spec gives no code (see NON_LINT_CODES).
 */
export interface Violation {
  code: string;
  message: string;
}

export const NON_LINT_CODES = {
  schema: 'invalid-field',
  when: 'invalid-when',
  strictMode: 'missing-reject-path',
  rejectTargetNotFound: 'on-reject-node-not-found',
  rejectDuplicateEdge: 'on-reject-duplicate-edge',
  rejectUnconditionalEdge: 'on-reject-unconditional-edge',
  rejectEmptyBody: 'on-reject-empty-body',
  rejectLoopOverlap: 'on-reject-loop-overlap',
  rejectLoopToSelf: 'on-reject-loop-to-self',
} as const;

/** Linter and desugaring messages start with their code, e.g. `cycle-detected: a -> b -> a`. */
export const violation = (code: string, detail: string): Violation => ({ code, message: `${code}: ${detail}` });

export const quote = (id: string): string => JSON.stringify(id);

export const toInvalidArgument = (violations: readonly Violation[]): EngineError =>
  new EngineError('INVALID_ARGUMENT', violations[0]?.message ?? 'invalid definition', {
    violations: violations.map(({ code, message }) => ({ code, message })),
  });
