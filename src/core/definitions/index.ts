export type { CanonicalDefinition, CanonicalEdge, CanonicalNode, Violation } from './canonical';
export { rootNodeIds } from './graph';
export { mergeDefinitionUpdate } from './merge';
export {
  CreateDefinitionRequestSchema,
  DefinitionInputSchema,
  UpdateDefinitionRequestSchema,
  type DefinitionInput,
  type UpdateDefinitionRequest,
} from './schema';
export { validateDefinition, type ValidationResult } from './validate';
export { toDefinitionView, type StoredDefinitionLike } from './view';
