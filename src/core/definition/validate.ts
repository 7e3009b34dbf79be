import type { EngineError } from '../errors';
import { describeZodError, zodIssues } from '../zod-message';
import type { CanonicalDefinition, CanonicalNode } from './canonical';
import { compileWhens } from './compile-whens';
import { desugar } from './desugar';
import { compileEdgeModel } from './edge-model/compile';
import { checkAgentUrls, checkG3RejectPaths } from './edge-model/rules';
import { byGeneration, mixedEdgeModel, syntaxOf } from './generation';
import { LINT_CODES, lintDefinition } from './lint';
import { CreateDefinitionRequestSchema, type CreateDefinitionRequest } from './schema/definition';
import type { Edge } from './schema/edge';
import { resolveScope } from './schema/scope';
import { checkStrictMode } from './strict-mode';
import { storedSizeViolations } from './stored-size';
import { NON_LINT_CODES, toInvalidArgument, type SchemaIssue, type Violation } from './violation';

/**
 * `strict` (the API) enforces the strict-mode reject-path rule; `lenient` skips
 * only that rule, for definitions written before it (G1-style fixtures, tooling).
 */
export type ValidationMode = 'strict' | 'lenient';

export type ValidationResult = { ok: true; definition: CanonicalDefinition } | { ok: false; error: EngineError; violations: Violation[] };

const LINTER_CODES: ReadonlySet<string> = new Set(LINT_CODES);

const refuse = (violations: Violation[], options: Parameters<typeof toInvalidArgument>[1] = {}): ValidationResult => ({
  ok: false,
  error: toInvalidArgument(violations, options),
  violations,
});

const finish = (definition: CanonicalDefinition, refuseAs: typeof refuse): ValidationResult => {
  const tooLarge = storedSizeViolations(definition);
  return tooLarge.length > 0 ? refuseAs(tooLarge) : { ok: true, definition };
};

/** What both generations store alike. */
const commonContent = (input: CreateDefinitionRequest) => ({
  definitionId: input.definitionId,
  name: input.name,
  description: input.description ?? null,
  scope: resolveScope(input),
});

/** G2 (the seeds): `when` compilation → `onReject` desugaring → strict mode → linter. */
const validateG2 = (input: Parameters<typeof compileWhens>[0] & CreateDefinitionRequest, mode: ValidationMode): ValidationResult => {
  const compiled = compileWhens(input);
  if (compiled.violations.length > 0) return refuse(compiled.violations);

  const desugared = desugar(compiled.result);
  if (desugared.violations.length > 0) return refuse(desugared.violations);

  const { result } = desugared;
  const violations = [
    ...(mode === 'strict' ? checkStrictMode(result) : []),
    ...lintDefinition({ nodes: result.nodes, edges: result.edges, groups: input.groups ?? [], loops: result.loops }),
  ];
  if (violations.length > 0) return refuse(violations);
  return finish(
    {
      ...commonContent(input),
      // The linter has refused every node without a config, so the cast only narrows `config`.
      nodes: result.nodes as CanonicalNode[],
      edges: result.edges,
      groups: input.groups ?? null,
      loops: input.loops === undefined || input.loops === null ? (result.loops.length > 0 ? result.loops : null) : result.loops,
      triggers: input.triggers ?? null,
      tags: input.tags ?? null,
      custom: input.custom ?? null,
      authoredOnReject: result.authoredOnReject,
    },
    refuse,
  );
};

/**
 * G3 (docs/g3.md): agent URLs and the edge contract → the edge model compiled into forward edges
 * and loop regions → the reject-path rule and the linter. `authoredEdges` are the edges as sent.
 */
const validateG3 = (input: CreateDefinitionRequest, authoredEdges: Edge[], mode: ValidationMode): ValidationResult => {
  const refuseG3 = (violations: Violation[]) => refuse(violations, { linterCodes: LINTER_CODES });
  const compiled = compileEdgeModel(input);
  const contract = [...checkAgentUrls(input.nodes), ...compiled.violations];
  if (contract.length > 0) return refuseG3(contract);

  const { edges, loops, rejectSources, routeOnlySources } = compiled.result;
  const violations = [
    ...(mode === 'strict' ? checkG3RejectPaths(input.nodes, rejectSources, loops) : []),
    ...lintDefinition({ nodes: input.nodes, edges, groups: input.groups ?? [], loops, routeOnlySources }),
  ];
  if (violations.length > 0) return refuseG3(violations);
  return finish(
    {
      ...commonContent(input),
      nodes: input.nodes as CanonicalNode[],
      edges,
      groups: input.groups ?? null,
      loops: loops.length > 0 ? loops : null,
      triggers: input.triggers ?? null,
      tags: input.tags ?? null,
      custom: input.custom ?? null,
      authoredOnReject: [],
      generation: 'g3',
      authoredEdges,
    },
    refuseG3,
  );
};

/** The edges exactly as the caller sent them (zod rebuilds objects in schema key order). */
const rawEdges = (input: unknown): Edge[] => JSON.parse(JSON.stringify((input as { edges: unknown }).edges)) as Edge[];

/**
 * The write-time pipeline (docs/behaviour.md, "Definition validation"; docs/g3.md): schema → generation (read from the syntax;
 * mixing both loop syntaxes is refused) → that generation's stages. A failing stage stops the
 * pipeline (later stages need its output), except that the reject-path rule and the linter both
 * report. The error message is the first violation's; `details.violations` holds all of them.
 */
export const validateDefinition = (input: unknown, mode: ValidationMode = 'strict'): ValidationResult => {
  const parsed = CreateDefinitionRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issues: SchemaIssue[] = zodIssues(parsed.error);
    return refuse(
      describeZodError(parsed.error).map((message) => ({ code: NON_LINT_CODES.schema, message })),
      { issues },
    );
  }
  const syntax = syntaxOf(parsed.data);
  if (syntax.g3 && syntax.g2) return refuse([mixedEdgeModel()]);
  const split = byGeneration(parsed.data);
  return split.generation === 'g3' ? validateG3(split.input, rawEdges(input), mode) : validateG2(split.input, mode);
};
