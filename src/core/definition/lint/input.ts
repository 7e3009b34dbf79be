import type { CanonicalEdge } from '../canonical';
import type { Group } from '../schema/group';
import type { Loop } from '../schema/loop';
import type { Violation } from '../violation';

/** The desugared graph the linter inspects; `config` may be missing (node-missing-config). */
export interface LintInput {
  readonly nodes: readonly {
    readonly nodeId: string;
    readonly type: string;
    readonly config?: unknown;
    readonly slaMs?: number | undefined;
  }[];
  readonly edges: readonly CanonicalEdge[];
  readonly groups: readonly Group[];
  readonly loops: readonly Loop[];
  /**
   * G3: nodes that have outgoing edges the graph above does not hold (reject loop-backs, exhausted
   * routes); they count as outgoing edges that never route a breach.
   */
  readonly routeOnlySources?: readonly string[] | undefined;
}

export type LintRule = (input: LintInput) => Violation[];

export const declaredIds = (input: LintInput): Set<string> => new Set(input.nodes.map((node) => node.nodeId));

/** Each value that occurs more than once, in first-occurrence order, with its count. */
export const duplicates = (values: readonly string[]): [string, number][] => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1);
};
