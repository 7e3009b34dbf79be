import { compileWhen, testsStepStatus } from '../../when';
import { quote, violation } from '../violation';
import { duplicates, type LintRule } from './input';

export const duplicateNodeIds: LintRule = (input) =>
  duplicates(input.nodes.map((node) => node.nodeId)).map(([id, count]) =>
    violation('duplicate-node-id', `${quote(id)} is declared ${count} times`),
  );

export const missingConfigs: LintRule = (input) =>
  input.nodes.flatMap((node, i) =>
    node.config === undefined || node.config === null
      ? [violation('node-missing-config', `nodes[${i}] ${quote(node.nodeId)} has no config`)]
      : [],
  );

const routesOnBreach = (when: string | null): boolean => {
  if (when === null) return true;
  const compiled = compileWhen(when);
  return compiled.ok && testsStepStatus(compiled.ast, 'breached');
};

/**
 * docs/api.md, "SLA": an SLA node needs an outgoing edge that tests step.status == "breached"
 * or fires unconditionally; a node with no outgoing edge at all is exempt (a breach there fails the run).
 */
export const missingBreachEdges: LintRule = (input) => {
  const routeOnly = new Set(input.routeOnlySources ?? []);
  return input.nodes.flatMap((node) => {
    if (node.slaMs === undefined) return [];
    const outgoing = input.edges.filter((edge) => edge.from === node.nodeId);
    if (outgoing.length === 0 && !routeOnly.has(node.nodeId)) return [];
    if (outgoing.some((edge) => routesOnBreach(edge.when))) return [];
    return [
      violation(
        'missing-breach-edge',
        `${quote(node.nodeId)} has slaMs but no outgoing edge routes on step.status == "breached" (add an edge whose when tests it, or an unconditional edge)`,
      ),
    ];
  });
};
