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
} from './canonical';
export { compileWhens, type CompiledWhens } from './compile-whens';
export { desugar, synthesizedLoopId, type Desugared } from './desugar';
export { exhaustedRouteIds, reachable, rootNodeIds, type GraphDefinition, type GraphEdge, type GraphLoop } from './graph';
export { LINT_CODES, lintDefinition, type LintCode, type LintInput } from './lint';
export { loopExits, loopTerminal, type LoopTerminal } from './loop-shape';
export { applyDefinitionUpdate, mergeDefinitionUpdate } from './merge';
export { MANDATORY_REJECT_AST, MANDATORY_REJECT_WHEN, REJECT_AST, REJECT_WHEN } from './predicates';
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
export { toDefinitionView, type DefinitionView } from './view';
export { NON_LINT_CODES, type Violation } from './violation';
