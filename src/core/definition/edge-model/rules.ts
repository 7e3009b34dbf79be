import type { Loop } from '../schema/loop';
import type { Node } from '../schema/node';
import { NON_LINT_CODES, type Violation } from '../violation';

/** The G3 wording of the reject-path rule (docs/g3.md); one violation per node. */
export const g3RejectPathMessage = (nodeId: string): string =>
  `every human node must have at least one outgoing edge with on="reject" (a forward reject route or a reject back-edge): ${nodeId}`;

export const AGENT_URL_MESSAGE = 'agent node requires either a static "url" or a "urlPath"';

/**
 * Every human node needs a reject route: its own `on: "reject"` edge (forward or back), one from
 * its group, or a place in a loop body (a mandatory rejection there rewinds the loop).
 */
export const checkG3RejectPaths = (nodes: readonly Node[], rejectSources: readonly string[], loops: readonly Loop[]): Violation[] => {
  const covered = new Set([...rejectSources, ...loops.flatMap((loop) => loop.bodyNodeIds)]);
  const missing = [...new Set(nodes.filter((node) => node.type === 'human' && !covered.has(node.nodeId)).map((node) => node.nodeId))];
  return missing.map((nodeId) => ({ code: NON_LINT_CODES.strictMode, message: g3RejectPathMessage(nodeId) }));
};

/** A G3 agent works on a static `url` or on the one `urlPath` resolves; a node without config is the linter's. */
export const checkAgentUrls = (nodes: readonly Node[]): Violation[] =>
  nodes.flatMap((node, i) =>
    node.type === 'agent' && node.config && node.config.url === undefined && node.config.urlPath === undefined
      ? [{ code: 'agent-url-required', message: `data.nodes[${i}].config: ${AGENT_URL_MESSAGE}` }]
      : [],
  );
