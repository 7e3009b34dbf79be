import { compileWhen, RegexAllowance } from '../when';
import type { CanonicalEdge } from './canonical';
import type { LegacyEdge } from './schema/edge';
import type { Loop } from './schema/loop';
import type { Node } from './schema/node';
import { NON_LINT_CODES, type Violation } from './violation';

export interface CompiledWhens {
  nodes: Node[];
  edges: CanonicalEdge[];
  loops: Loop[];
}

/**
 * Stage 2: every `when` (edges, loops, `onReject.loopBack`) is compiled and replaced by its
 * canonical JSON string, so the stored form never holds the infix spelling.
 */
export const compileWhens = (input: {
  nodes: Node[];
  edges: LegacyEdge[];
  loops?: Loop[] | null | undefined;
}): { result: CompiledWhens; violations: Violation[] } => {
  const violations: Violation[] = [];
  // One allowance for the whole definition: its regex limits (docs/behaviour.md, "Limits") span every when.
  const regexes = new RegexAllowance();
  const canonical = (source: string, path: string): string => {
    const compiled = compileWhen(source, regexes);
    if (compiled.ok) return compiled.canonical;
    violations.push({ code: NON_LINT_CODES.when, message: `${path}: ${compiled.message}` });
    return source;
  };

  const edges = input.edges.map((edge, i): CanonicalEdge => ({
    from: edge.from,
    to: edge.to,
    when: edge.when === undefined || edge.when === null ? null : canonical(edge.when, `data.edges[${i}].when`),
  }));

  const loops = (input.loops ?? []).map((loop, i): Loop => {
    const when = loop.onIterationReject?.when;
    if (when === undefined) return loop;
    return { ...loop, onIterationReject: { when: canonical(when, `data.loops[${i}].onIterationReject.when`) } };
  });

  const nodes = input.nodes.map((node, i): Node => {
    if (node.type !== 'human') return node;
    const loopBack = node.config?.onReject?.loopBack;
    if (!node.config || loopBack?.when === undefined) return node;
    const when = canonical(loopBack.when, `data.nodes[${i}].config.onReject.loopBack.when`);
    return { ...node, config: { ...node.config, onReject: { loopBack: { ...loopBack, when } } } };
  });

  return { result: { nodes, edges, loops }, violations };
};
