import { EngineError } from '../errors';
import { compileWhen, type WhenAst } from '../when';
import { describeZodError } from '../zod-message';
import type { CanonicalDefinition, CanonicalEdge, Violation } from './canonical';
import { desugar } from './desugar';
import { lintGraph } from './lint-graph';
import { lintGroups } from './lint-groups';
import { lintLoops } from './lint-loops';
import { DefinitionInputSchema, type DefinitionInput, type Loop } from './schema';
import { strictModeViolation } from './strict-mode';

export type ValidationResult = { ok: true; definition: CanonicalDefinition } | { ok: false; error: EngineError };

const refuse = (violations: Violation[]): ValidationResult => ({
  ok: false,
  error: new EngineError('INVALID_ARGUMENT', violations[0]?.message ?? 'invalid definition', {
    violations: violations.map((found) => (found.code ? { code: found.code, message: found.message } : { message: found.message })),
  }),
});

const resolveScope = (input: DefinitionInput, violations: Violation[]): CanonicalDefinition['scope'] => {
  const level = input.scope?.level ?? 'apiKey';
  const pick = (field: 'organizationId' | 'documentId'): string | null => {
    const inScope = input.scope?.[field] ?? undefined;
    const topLevel = input[field];
    if (inScope !== undefined && topLevel !== undefined && inScope !== topLevel) {
      violations.push({ code: null, message: `data.${field}: does not match scope.${field}` });
    }
    return inScope ?? topLevel ?? null;
  };
  const organizationId = pick('organizationId');
  const documentId = pick('documentId');
  if (level !== 'apiKey' && organizationId === null) {
    violations.push({ code: null, message: `data.scope.organizationId: required when scope.level is "${level}"` });
  }
  if (level === 'document' && documentId === null) {
    violations.push({ code: null, message: 'data.scope.documentId: required when scope.level is "document"' });
  }
  return level === 'apiKey'
    ? { level, organizationId: null, documentId: null }
    : { level, organizationId, documentId: level === 'document' ? documentId : null };
};

/**
 * The write-time pipeline of decisions §3: schema → `when` compilation → `onReject` desugaring →
 * strict mode → linter. Each stage runs only on what the previous accepted; every problem a stage
 * finds is reported, the first one as the message.
 */
export const validateDefinition = (raw: unknown): ValidationResult => {
  const parsed = DefinitionInputSchema.safeParse(raw);
  if (!parsed.success) return refuse(describeZodError(parsed.error).map((message) => ({ code: null, message })));
  const input = parsed.data;
  const violations: Violation[] = [];
  const scope = resolveScope(input, violations);

  const asts = new Map<string, WhenAst>();
  const compile = (source: string | null | undefined, field: string): string | null => {
    if (source === null || source === undefined) return null;
    const compiled = compileWhen(source);
    if (!compiled.ok) {
      violations.push({ code: null, message: `${field}: ${compiled.message}` });
      return null;
    }
    asts.set(compiled.canonical, compiled.ast);
    return compiled.canonical;
  };
  const edges: CanonicalEdge[] = input.edges.map((edge, i) => ({ from: edge.from, to: edge.to, when: compile(edge.when, `data.edges[${i}].when`) }));
  const loops: Loop[] = (input.loops ?? []).map((loop, i) => {
    const when = loop.onIterationReject?.when;
    if (when === undefined) return loop;
    return { ...loop, onIterationReject: { when: compile(when, `data.loops[${i}].onIterationReject.when`) ?? when } };
  });
  const loopBackWhens = new Map<string, string>();
  input.nodes.forEach((node, i) => {
    const when = node.type === 'human' ? node.config?.onReject?.loopBack?.when : undefined;
    const canonical = compile(when, `data.nodes[${i}].config.onReject.loopBack.when`);
    if (canonical !== null) loopBackWhens.set(node.nodeId, canonical);
  });
  if (violations.length > 0) return refuse(violations);

  const { result, violations: desugarViolations } = desugar(input.nodes, edges, loops, (nodeId) => loopBackWhens.get(nodeId));
  if (desugarViolations.length > 0) return refuse(desugarViolations);

  const groups = input.groups ?? [];
  const strict = strictModeViolation(input.nodes, result.loops);
  const lint = [
    ...lintGraph(result.nodes, result.edges, result.loops, (when) => asts.get(when)),
    ...lintGroups(result.nodes, result.edges, groups),
    ...lintLoops(result.nodes, result.edges, result.loops, groups),
  ];
  const found = strict ? [strict, ...lint] : lint;
  if (found.length > 0) return refuse(found);

  return {
    ok: true,
    definition: {
      definitionId: input.definitionId,
      name: input.name,
      description: input.description ?? null,
      scope,
      nodes: result.nodes,
      edges: result.edges,
      groups: input.groups && input.groups.length > 0 ? input.groups : null,
      loops: result.loops.length > 0 ? result.loops : null,
      triggers: input.triggers ?? null,
      tags: input.tags ?? null,
      custom: input.custom ?? null,
      source: input,
    },
  };
};
