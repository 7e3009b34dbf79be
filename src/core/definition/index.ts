export type {
  AuthoredOnReject,
  CanonicalAgentNode,
  CanonicalDefinition,
  CanonicalEdge,
  CanonicalHumanConfig,
  CanonicalHumanNode,
  CanonicalNode,
  CanonicalWebhookNode,
  Generation,
  StoredWebhookConfig,
} from './canonical';
export { generationOf } from './canonical';
export { compiledGraph, type CompiledForwardEdge, type CompiledGraph, type CompiledLoopRegion } from './compiled-view';
export { compileEdgeModel, derivedLoopId, type CompiledEdgeModel } from './edge-model/compile';
export { EDGE_MODEL_CODES } from './edge-model/resolve';
export { AGENT_URL_MESSAGE, g3RejectPathMessage } from './edge-model/rules';
export { generationFromSyntax, isG3Edge, MIXED_EDGE_MODEL_MESSAGE, syntaxOf } from './generation';
export { compileWhens, type CompiledWhens } from './compile-whens';
export { desugar, synthesizedLoopId, type Desugared } from './desugar';
export { exhaustedRouteIds, reachable, rootNodeIds, type GraphDefinition, type GraphEdge, type GraphLoop } from './graph';
export { LINT_CODES, lintDefinition, type LintCode, type LintInput } from './lint';
export { loopExits, loopTerminal, type LoopTerminal } from './loop-shape';
export { applyDefinitionUpdate, isFullReplace, mergeDefinitionUpdate } from './merge';
export { APPROVE_AST, APPROVE_WHEN, MANDATORY_REJECT_AST, MANDATORY_REJECT_WHEN, REJECT_AST, REJECT_WHEN } from './predicates';
export * from './schema';
export {
  addressable,
  checkVersion,
  firstVersion,
  nextVersion,
  scopeMatches,
  tombstoned,
  type DefinitionStatus,
  type ScopeIds,
  type StoredDefinition,
} from './stored';
export { checkStrictMode, strictModeMessage } from './strict-mode';
export { validateDefinition, type ValidationMode, type ValidationResult } from './validate';
export { toDefinitionView, type DefinitionView, type G2DefinitionView, type G3DefinitionView } from './view';
export { NON_LINT_CODES, type SchemaIssue, type Violation } from './violation';
