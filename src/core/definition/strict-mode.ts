import type { Desugared } from './desugar';
import { NON_LINT_CODES, type Violation } from './violation';

export const strictModeMessage = (nodeIds: readonly string[]): string => `Human nodes missing a reject path: ${nodeIds.join(', ')}`;

/** Stage 4 (docs/api.md, "Nodes"): every human node sets `onReject` or sits in some loop's body. */
export const checkStrictMode = (definition: Pick<Desugared, 'nodes' | 'loops' | 'authoredOnReject'>): Violation[] => {
  const covered = new Set([
    ...definition.authoredOnReject.map((entry) => entry.nodeId),
    ...definition.loops.flatMap((loop) => loop.bodyNodeIds),
  ]);
  const missing = [
    ...new Set(definition.nodes.filter((node) => node.type === 'human' && !covered.has(node.nodeId)).map((node) => node.nodeId)),
  ];
  return missing.length === 0 ? [] : [{ code: NON_LINT_CODES.strictMode, message: strictModeMessage(missing) }];
};
