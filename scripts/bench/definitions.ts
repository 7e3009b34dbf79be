/**
 * The definitions `npm run bench` runs (docs/bench.md); all strict-mode valid. The definitions are
 * the bench's own, not the tests' look-alikes, so that what the bench measures stays comparable
 * across commits; only the node builders come from the test fixtures.
 */
import { approveGate, human as humanNode, mockAgent, reviewersOf } from '../../test/fixtures/execution-definitions';

/** A human node whose reviewers are all mandatory; a rejection routes to `onReject` when given. */
const human = (nodeId: string, userIds: string[], onReject?: string) =>
  humanNode(nodeId, userIds.map(reviewersOf.mandatory), onReject ? { routeToNodeId: onReject } : undefined);

/** Reviewers of the parked review: a decision by any but the last keeps the run waiting. */
export const PARK_REVIEWERS = Array.from({ length: 100 }, (_, index) => `u_${String(index).padStart(3, '0')}`);
/** Decisions one parked run can take and stay parked. */
export const DECISIONS_PER_PARKED_RUN = PARK_REVIEWERS.length - 1;

/** P1, P2, P4: one human review of 100 mandatory reviewers; it waits until all approve. */
export const parkedReviewDefinition = (definitionId: string) => ({
  definitionId,
  name: 'Bench: parked review',
  nodes: [human('human-review', PARK_REVIEWERS, 'agent-rework'), mockAgent('agent-publish'), mockAgent('agent-rework')],
  edges: [{ from: 'human-review', to: 'agent-publish', when: approveGate }],
});

/** P3: the first-workflow walkthrough: one human approval; approve publishes, reject follows up. */
export const walkthroughDefinition = (definitionId: string) => ({
  definitionId,
  name: 'Bench: walkthrough',
  nodes: [human('human-review', ['u_editor'], 'agent-followup'), mockAgent('agent-publish'), mockAgent('agent-followup')],
  edges: [{ from: 'human-review', to: 'agent-publish', when: approveGate }],
});

/** P3: a draft, two reviews in parallel joined by a group, then publish. */
export const parallelReviewDefinition = (definitionId: string) => ({
  definitionId,
  name: 'Bench: parallel review',
  nodes: [mockAgent('agent-draft'), human('human-legal', ['u_legal']), human('human-brand', ['u_brand']), mockAgent('agent-publish')],
  edges: [
    { from: 'agent-draft', to: 'human-legal' },
    { from: 'agent-draft', to: 'human-brand' },
    { from: 'human-legal', to: 'agent-publish' },
    { from: 'human-brand', to: 'agent-publish' },
  ],
  groups: [
    { groupId: 'parallel-review', memberNodeIds: ['human-legal', 'human-brand'], expectedSteps: 2, quorum: 2, onQuorumMet: 'joinOnQuorum' },
  ],
  loops: [
    { loopId: 'review-loop', entryNodeId: 'agent-draft', bodyNodeIds: ['agent-draft', 'human-legal', 'human-brand'], maxIterations: 3 },
  ],
});

/** P3: a draft/review loop rejected `iterations` times, then routed to its onExhausted step. */
export const loopDefinition = (definitionId: string, iterations: number) => ({
  definitionId,
  name: 'Bench: loop',
  nodes: [mockAgent('agent-draft'), human('human-review', ['u_editor']), mockAgent('agent-publish'), mockAgent('agent-escalate')],
  edges: [
    { from: 'agent-draft', to: 'human-review' },
    { from: 'human-review', to: 'agent-publish', when: approveGate },
  ],
  loops: [
    {
      loopId: 'draft-loop',
      entryNodeId: 'agent-draft',
      bodyNodeIds: ['agent-draft', 'human-review'],
      maxIterations: iterations,
      onExhausted: { routeToNodeId: 'agent-escalate' },
    },
  ],
});
