/** Small builders for definition inputs in tests. */
export const agent = (nodeId: string, extra: Record<string, unknown> = {}) => ({
  nodeId,
  type: 'agent' as const,
  config: { agentId: '__mock__' },
  ...extra,
});

export const human = (nodeId: string, config: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  nodeId,
  type: 'human' as const,
  config: { reviewers: [{ userId: `u-${nodeId}`, mandatory: true }], ...config },
  ...extra,
});

export const edge = (from: string, to: string, when?: string) => ({ from, to, ...(when === undefined ? {} : { when }) });

export const gate = (ast: unknown): string => JSON.stringify(ast);
export const APPROVE = gate({ op: 'eq', args: [{ var: 'output.decision' }, 'approve'] });
export const BREACHED = gate({ op: 'eq', args: [{ var: 'step.status' }, 'breached'] });

export const definition = (parts: Record<string, unknown>) => ({ definitionId: 'lint-test', name: 'lint test', edges: [], ...parts });
