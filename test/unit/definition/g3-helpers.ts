/** Builders for definitions in the G3 edge model (docs/g3.md). */

type Json = Record<string, any>;

export const g3Agent = (nodeId: string, config: Json = {}, extra: Json = {}): Json => ({
  nodeId,
  type: 'agent',
  config: { agentId: '__mock__', urlPath: 'documentUrl', ...config },
  ...extra,
});

export const g3Human = (nodeId: string, extra: Json = {}): Json => ({
  nodeId,
  type: 'human',
  config: { reviewers: [{ userId: `${nodeId}-reviewer`, mandatory: true }] },
  ...extra,
});

export const groupRef = (groupId: string) => ({ kind: 'group', groupId }) as const;
export const nodeRef = (nodeId: string) => ({ kind: 'node', nodeId }) as const;

/** `{ from, to, on?, ...extra }`; endpoints may be ids or endpoint objects. */
export const on = (from: unknown, to: unknown, role?: string, extra: Json = {}): Json => ({
  from,
  to,
  ...(role === undefined ? {} : { on: role }),
  ...extra,
});

export const g3Definition = (overrides: Json = {}): Json => ({
  definitionId: 'g3-definition',
  name: 'G3 definition',
  nodes: [g3Human('review'), g3Agent('rework')],
  edges: [on('review', 'rework', 'reject')],
  ...overrides,
});

/** Setup's minimal sign-off: approving completes the run, rejecting routes to a follow-up agent. */
export const signoff = (): Json =>
  g3Definition({
    definitionId: 'doc-signoff',
    name: 'Document sign-off',
    nodes: [g3Human('manager-approval'), g3Agent('rework-notice')],
    edges: [on('manager-approval', 'rework-notice', 'reject')],
  });

/** The "send it back to me" shape: approve publishes, reject loops to the draft, the cap escalates. */
export const sendBack = (maxIterations = 3): Json =>
  g3Definition({
    definitionId: 'send-back',
    nodes: [g3Agent('agent-draft'), g3Human('human-boss'), g3Agent('agent-publish'), g3Agent('escalate')],
    edges: [
      on('agent-draft', 'human-boss'),
      on('human-boss', 'agent-publish', 'approve'),
      on('human-boss', 'agent-draft', 'reject', { loop: { maxIterations } }),
      on('human-boss', 'escalate', 'exhausted'),
    ],
  });
