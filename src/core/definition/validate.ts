import type { EngineError } from '../errors';
import { describeZodError } from '../zod-message';
import type { CanonicalDefinition, CanonicalNode } from './canonical';
import { compileWhens } from './compile-whens';
import { desugar, type Desugared } from './desugar';
import { lintDefinition } from './lint';
import { CreateDefinitionRequestSchema, type CreateDefinitionRequest } from './schema/definition';
import { resolveScope } from './schema/scope';
import { checkStrictMode } from './strict-mode';
import { storedSizeViolations } from './stored-size';
import { NON_LINT_CODES, toInvalidArgument, type Violation } from './violation';

/**
 * `strict` (the API, decisions §3) enforces the strict-mode reject-path rule; `lenient` skips
 * only that rule, for definitions written before it (G1-style fixtures, tooling).
 */
export type ValidationMode = 'strict' | 'lenient';

export type ValidationResult = { ok: true; definition: CanonicalDefinition } | { ok: false; error: EngineError; violations: Violation[] };

const refuse = (violations: Violation[]): ValidationResult => ({ ok: false, error: toInvalidArgument(violations), violations });

const toCanonical = (input: CreateDefinitionRequest, desugared: Desugared): CanonicalDefinition => ({
  definitionId: input.definitionId,
  name: input.name,
  description: input.description ?? null,
  scope: resolveScope(input),
  // The linter has refused every node without a config, so the cast only narrows `config`.
  nodes: desugared.nodes as CanonicalNode[],
  edges: desugared.edges,
  groups: input.groups ?? null,
  loops: input.loops === undefined || input.loops === null ? (desugared.loops.length > 0 ? desugared.loops : null) : desugared.loops,
  triggers: input.triggers ?? null,
  tags: input.tags ?? null,
  custom: input.custom ?? null,
  authoredOnReject: desugared.authoredOnReject,
});

/**
 * The write-time pipeline (decisions §3): schema → `when` compilation → `onReject` desugaring →
 * strict mode → linter. A failing stage stops the pipeline (later stages need its output), except
 * that strict mode and the linter both report. The error message is the first violation's;
 * `details.violations` holds all of them.
 */
export const validateDefinition = (input: unknown, mode: ValidationMode = 'strict'): ValidationResult => {
  const parsed = CreateDefinitionRequestSchema.safeParse(input);
  if (!parsed.success) {
    return refuse(describeZodError(parsed.error).map((message) => ({ code: NON_LINT_CODES.schema, message })));
  }
  const compiled = compileWhens(parsed.data);
  if (compiled.violations.length > 0) return refuse(compiled.violations);

  const desugared = desugar(compiled.result);
  if (desugared.violations.length > 0) return refuse(desugared.violations);

  const { result } = desugared;
  const violations = [
    ...(mode === 'strict' ? checkStrictMode(result) : []),
    ...lintDefinition({ nodes: result.nodes, edges: result.edges, groups: parsed.data.groups ?? [], loops: result.loops }),
  ];
  if (violations.length > 0) return refuse(violations);
  const definition = toCanonical(parsed.data, result);
  const tooLarge = storedSizeViolations(definition);
  return tooLarge.length > 0 ? refuse(tooLarge) : { ok: true, definition };
};
