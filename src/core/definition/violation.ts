import { EngineError } from '../errors';

/**
 * One problem found by the write-time pipeline. `code` is a linter code (docs/api.md, "Linter codes"), or one of
 * ours for the stages the contract gives no code (see NON_LINT_CODES).
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

/** A zod issue as `details.issues` carries it: `{ code, path, message }`, the path relative to `data`. */
export interface SchemaIssue {
  code: string;
  path: (string | number)[];
  message: string;
}

const LINTER_FAILED = 'Definition linter failed: ';

/**
 * The envelope of a refused definition: the first violation's message, every violation in
 * `details.violations` (and the zod issues of a schema failure in `details.issues`). A G3
 * definition refused only by linter rules gets Velt's message instead: `Definition linter failed: `
 * and the JSON array of `{ code, message }` (docs/g3.md, "Errors").
 */
export const toInvalidArgument = (
  violations: readonly Violation[],
  options: { linterCodes?: ReadonlySet<string>; issues?: readonly SchemaIssue[] } = {},
): EngineError => {
  const { linterCodes, issues } = options;
  const list = violations.map(({ code, message }) => ({ code, message }));
  const linterOnly = linterCodes !== undefined && list.length > 0 && list.every((found) => linterCodes.has(found.code));
  const first = violations.find((found) => !linterCodes?.has(found.code)) ?? violations[0];
  const message = linterOnly ? `${LINTER_FAILED}${JSON.stringify(list)}` : (first?.message ?? 'invalid definition');
  return new EngineError('INVALID_ARGUMENT', message, { violations: list, ...(issues !== undefined ? { issues: [...issues] } : {}) });
};
