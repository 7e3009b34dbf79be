import { validateDefinition, type CanonicalDefinition } from '../../src/core/definition';

/** One mandatory reviewer (`u1`) whose rejection routes to a `__mock__` rework agent: a run that waits for a decision. */
export const reviewDefinition = (definitionId: string, name: string): CanonicalDefinition => {
  const result = validateDefinition({
    definitionId,
    name,
    nodes: [
      {
        nodeId: 'review',
        type: 'human',
        config: { reviewers: [{ userId: 'u1', mandatory: true }], onReject: { routeToNodeId: 'rework' } },
      },
      { nodeId: 'rework', type: 'agent', config: { agentId: '__mock__' } },
    ],
    edges: [],
  });
  if (!result.ok) throw result.error;
  return result.definition;
};
