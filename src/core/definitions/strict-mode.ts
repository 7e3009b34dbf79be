import type { Violation } from './canonical';
import type { Loop, NodeInput } from './schema';

/** Every human node needs `onReject` or membership in a loop body (spec §2.4, decisions §3). */
export const strictModeViolation = (authored: readonly NodeInput[], loops: readonly Loop[]): Violation | null => {
  const inLoop = new Set(loops.flatMap((loop) => loop.bodyNodeIds));
  const missing = authored
    .filter((node) => node.type === 'human' && !node.config?.onReject && !inLoop.has(node.nodeId))
    .map((node) => node.nodeId);
  return missing.length > 0 ? { code: null, message: `Human nodes missing a reject path: ${missing.join(', ')}` } : null;
};
