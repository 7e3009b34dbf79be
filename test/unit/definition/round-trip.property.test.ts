import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  UpdateDefinitionRequestSchema,
  applyDefinitionUpdate,
  firstVersion,
  isFullReplace,
  nextVersion,
  toDefinitionView,
  validateDefinition,
  type CanonicalDefinition,
  type DefinitionView,
  type UpdateDefinitionInput,
} from '../../../src/core/definition';
import { APPROVE } from './helpers';

/*
 * Velt's documented recipe (docs/g3.md, "Round trip"): get → strip the server-owned fields
 * (version, createdAt, updatedAt, status, compiled) and every null → update. For any valid
 * definition of either generation it must change nothing: same edges, same compiled plan.
 */

type Json = Record<string, any>;

const SERVER_FIELDS = ['version', 'createdAt', 'updatedAt', 'status', 'compiled'];

const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== null)
      .map(([key, inner]) => [key, withoutNulls(inner)]),
  );
};

const strip = (view: DefinitionView): Json => {
  const body = { ...(view as unknown as Json) };
  for (const field of SERVER_FIELDS) delete body[field];
  return withoutNulls(body) as Json;
};

const valid = (input: Json): CanonicalDefinition => {
  const result = validateDefinition(input);
  if (!result.ok) throw new Error(`generated an invalid definition: ${result.error.message}\n${JSON.stringify(input)}`);
  return result.definition;
};

const roundTrip = (input: Json) => {
  const stored = valid(input);
  const v1 = firstVersion(stored, 1_000);
  const view = toDefinitionView(v1);
  const body = { ...strip(view), ifVersion: 1 } as UpdateDefinitionInput;
  expect(UpdateDefinitionRequestSchema.safeParse(body).success).toBe(true);
  const result = applyDefinitionUpdate(stored, body);
  if (!result.ok) throw new Error(`the round trip was refused: ${result.error.message}`);
  const again = toDefinitionView(nextVersion(v1, result.definition, 2_000));
  return { stored, view, body, next: result.definition, again };
};

// ---- shared arbitraries ----

const labels = fc.record(
  { name: fc.string({ minLength: 1, maxLength: 20 }), description: fc.string({ maxLength: 30 }), requireNonEmptyOutput: fc.boolean() },
  { requiredKeys: [] },
);
const customWhen = fc.constantFrom(
  'output.score > 3',
  JSON.stringify({ op: 'gte', args: [{ var: 'output.score' }, 0.5] }),
  'execution.input.priority == "high"',
  JSON.stringify({ op: 'includes', args: [{ var: 'output.tags' }, 'legal'] }),
);
const agentConfig = fc
  .record(
    {
      where: fc.constantFrom('url', 'urlPath', 'both'),
      crossPageExecute: fc.boolean(),
      maxUrlsToProcess: fc.integer({ min: 1, max: 500 }),
      pollIntervalMs: fc.integer({ min: 5000, max: 60_000 }),
      userContextMapping: fc.dictionary(fc.constantFrom('customerId', 'plan', 'region'), fc.constantFrom('customer.id', 'a.b', 'x')),
    },
    { requiredKeys: ['where'] },
  )
  .map(({ where, ...rest }) => ({
    agentId: '__mock__',
    ...(where !== 'urlPath' ? { url: 'https://acme.example/doc' } : {}),
    ...(where !== 'url' ? { urlPath: 'documentUrl' } : {}),
    ...rest,
  }));
const humanConfig = fc.integer({ min: 1, max: 3 }).map((count) => ({
  reviewers: Array.from({ length: count }, (_, i) => ({ userId: `u${i}`, mandatory: i === 0 })),
}));
const topLevel = fc.record(
  {
    description: fc.string({ maxLength: 40 }),
    tags: fc.array(fc.constantFrom('legal', 'brand', 'ops'), { maxLength: 3 }),
    custom: fc.dictionary(fc.constantFrom('team', 'owner'), fc.string({ maxLength: 8 })),
    scope: fc.constant({ level: 'organization', organizationId: 'org-1' }),
  },
  { requiredKeys: [] },
);

const nodeOf = (nodeId: string, type: 'agent' | 'human', agent: Json, human: Json, extra: Json): Json => ({
  nodeId,
  type,
  config: type === 'agent' ? agent : human,
  ...extra,
});

// ---- G3 ----

/** Endpoints written as a bare id or as `{ kind: "node" }`. */
const endpoint = (id: string, objectForm: boolean): unknown => (objectForm ? { kind: 'node', nodeId: id } : id);

/** A DAG of agents and humans; every human routes its rejection forward to a rework agent. */
const g3Dag = fc
  .record({
    types: fc.array(fc.constantFrom<'agent' | 'human'>('agent', 'human'), { minLength: 1, maxLength: 6 }),
    parents: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    roles: fc.array(fc.constantFrom('always', 'approve', 'custom', undefined), { minLength: 6, maxLength: 6 }),
    whens: fc.array(customWhen, { minLength: 6, maxLength: 6 }),
    objectForm: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    sla: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    agent: agentConfig,
    human: humanConfig,
    labels,
    top: topLevel,
  })
  .map(({ types, parents, roles, whens, objectForm, sla, agent, human, labels: extra, top }) => {
    const ids = types.map((_, i) => `n${i}`);
    const nodes = types.map((type, i) =>
      nodeOf(ids[i]!, type, agent, human, { ...(i === 0 ? extra : {}), ...(sla[i] ? { slaMs: 60_000 } : {}) }),
    );
    const edges: Json[] = [];
    ids.forEach((id, i) => {
      if (i > 0) {
        const role = roles[i];
        const from = endpoint(ids[parents[i]! % i]!, objectForm[i]!);
        edges.push({
          from,
          to: endpoint(id, objectForm[i + 6]!),
          ...(role ? { on: role } : {}),
          ...(role === 'custom' ? { when: whens[i] } : {}),
        });
      }
      if (types[i] === 'human') edges.push({ from: id, to: 'rework', on: 'reject' });
      if (sla[i]) edges.push({ from: id, to: 'rework', on: 'always' });
    });
    edges.push({ from: ids[0], to: 'rework', on: 'always' });
    return { definitionId: 'rt-dag', name: 'DAG', ...top, nodes: [...nodes, nodeOf('rework', 'agent', agent, human, {})], edges };
  });

/** "Send it back": a chain whose last human loops back to an ancestor, with optional approve and exhausted routes. */
const g3Loop = fc
  .record({
    types: fc.array(fc.constantFrom<'agent' | 'human'>('agent', 'human'), { minLength: 0, maxLength: 4 }),
    entry: fc.nat(),
    maxIterations: fc.integer({ min: 1, max: 20 }),
    approve: fc.boolean(),
    exhausted: fc.boolean(),
    agent: agentConfig,
    human: humanConfig,
    top: topLevel,
  })
  .map(({ types, entry, maxIterations, approve, exhausted, agent, human, top }) => {
    const chain = [...types, 'human' as const];
    const ids = chain.map((_, i) => `c${i}`);
    const last = ids.length - 1;
    const start = entry % ids.length === last ? 0 : entry % ids.length;
    const nodes = chain.map((type, i) => nodeOf(ids[i]!, type, agent, human, {}));
    const edges: Json[] = ids.slice(1).map((id, i) => ({ from: ids[i], to: id, ...(i % 2 === 1 ? { on: 'approve' } : {}) }));
    // Humans before the loop entry are outside the body: they route their rejections forward.
    const outside = chain.flatMap((type, i) => (type === 'human' && i < start ? [ids[i]!] : []));
    for (const id of outside) edges.push({ from: id, to: 'rework', on: 'reject' });
    edges.push({ from: ids[last], to: ids[start], on: 'reject', loop: { maxIterations } });
    if (approve) edges.push({ from: ids[last], to: 'publish', on: 'approve' });
    if (exhausted) edges.push({ from: ids[last], to: 'escalate', on: 'exhausted' });
    const extra = [...(outside.length > 0 ? ['rework'] : []), ...(approve ? ['publish'] : []), ...(exhausted ? ['escalate'] : [])].map(
      (id) => nodeOf(id, 'agent', agent, human, {}),
    );
    if (last === 0 && start === 0) return null;
    return { definitionId: 'rt-loop', name: 'Send it back', ...top, nodes: [...nodes, ...extra], edges };
  })
  .filter((input): input is NonNullable<typeof input> => input !== null);

/** A draft agent fanning out to a reviewer group that branches as a whole, per policy. */
const g3Group = fc
  .record({
    members: fc.integer({ min: 2, max: 3 }),
    policy: fc.constantFrom('waitAll', 'cancelOnQuorum', 'joinOnQuorum'),
    quorum: fc.nat(),
    maxIterations: fc.integer({ min: 1, max: 20 }),
    exhausted: fc.boolean(),
    agent: agentConfig,
    human: humanConfig,
  })
  .map(({ members, policy, quorum, maxIterations, exhausted, agent, human }) => {
    const ids = Array.from({ length: members }, (_, i) => `r${i}`);
    const group = { kind: 'group', groupId: 'panel' };
    const q = policy === 'joinOnQuorum' ? members : policy === 'cancelOnQuorum' ? 1 + (quorum % (members - 1)) : 1 + (quorum % members);
    const edges: Json[] = [
      { from: 'draft', to: group },
      { from: group, to: 'publish', on: 'approve' },
    ];
    const extra = ['draft', 'publish'];
    if (policy === 'waitAll') {
      edges.push({ from: group, to: 'rework', on: 'reject' });
      extra.push('rework');
    } else if (policy === 'cancelOnQuorum') {
      for (const id of ids) edges.push({ from: id, to: 'rework', on: 'reject' });
      extra.push('rework');
    } else {
      edges.push({ from: group, to: 'draft', on: 'reject', loop: { maxIterations } });
      if (exhausted) {
        edges.push({ from: group, to: 'escalate', on: 'exhausted' });
        extra.push('escalate');
      }
    }
    return {
      definitionId: 'rt-group',
      name: 'Panel',
      nodes: [...ids.map((id) => nodeOf(id, 'human', agent, human, {})), ...extra.map((id) => nodeOf(id, 'agent', agent, human, {}))],
      edges,
      groups: [{ groupId: 'panel', memberNodeIds: ids, expectedSteps: members, quorum: q, onQuorumMet: policy }],
    };
  });

// ---- G2 ----

/** A DAG in the seeds' model: gated edges, and `onReject` on every human (a route or, for the last, a loop-back). */
const g2Dag = fc
  .record({
    types: fc.array(fc.constantFrom<'agent' | 'human'>('agent', 'human'), { minLength: 1, maxLength: 6 }),
    parents: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    gates: fc.array(fc.constantFrom<string | null>(null, APPROVE, 'output.score > 3'), { minLength: 6, maxLength: 6 }),
    agent: agentConfig,
    human: humanConfig,
    top: topLevel,
  })
  .map(({ types, parents, gates, agent, human, top }) => {
    const ids = types.map((_, i) => `n${i}`);
    const edges: Json[] = ids.slice(1).map((id, j) => {
      const i = j + 1;
      const from = ids[parents[i]! % i]!;
      // A human with onReject.routeToNodeId must gate its other edges (on-reject-unconditional-edge).
      const gate = types[parents[i]! % i] === 'human' ? (gates[i] ?? APPROVE) : gates[i];
      return gate === null ? { from, to: id } : { from, to: id, when: gate };
    });
    edges.push({ from: ids[0], to: 'sink', when: APPROVE });
    const nodes = types.map((type, i) =>
      type === 'agent'
        ? nodeOf(ids[i]!, 'agent', agent, human, {})
        : nodeOf(ids[i]!, 'human', agent, { ...human, onReject: { routeToNodeId: 'rework' } }, {}),
    );
    return {
      definitionId: 'rt-g2',
      name: 'G2 DAG',
      ...top,
      nodes: [...nodes, nodeOf('rework', 'agent', agent, human, {}), nodeOf('sink', 'agent', agent, human, {})],
      edges,
    };
  });

/** A chain closed by a `loopBack` shorthand, or by an authored loops[] entry. */
const g2Loop = fc
  .record({
    length: fc.integer({ min: 2, max: 4 }),
    shorthand: fc.boolean(),
    maxIterations: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
    exhausted: fc.boolean(),
    agent: agentConfig,
    human: humanConfig,
  })
  .map(({ length, shorthand, maxIterations, exhausted, agent, human }) => {
    const ids = Array.from({ length }, (_, i) => `c${i}`);
    const last = ids[length - 1]!;
    const onExhausted = exhausted ? { onExhausted: { routeToNodeId: 'escalate' } } : {};
    const loopBack = { toNodeId: ids[0], ...(maxIterations ? { maxIterations } : {}), ...onExhausted };
    const nodes = ids.map((id, i) =>
      i === length - 1
        ? nodeOf(id, 'human', agent, shorthand ? { ...human, onReject: { loopBack } } : human, {})
        : nodeOf(id, 'agent', agent, human, {}),
    );
    return {
      definitionId: 'rt-g2-loop',
      name: 'G2 loop',
      nodes: [
        ...nodes,
        nodeOf('publish', 'agent', agent, human, {}),
        ...(exhausted ? [nodeOf('escalate', 'agent', agent, human, {})] : []),
      ],
      edges: [...ids.slice(1).map((id, i) => ({ from: ids[i], to: id })), { from: last, to: 'publish', when: APPROVE }],
      ...(shorthand
        ? {}
        : { loops: [{ loopId: 'review-loop', entryNodeId: ids[0], bodyNodeIds: ids, maxIterations: maxIterations ?? 3, ...onExhausted }] }),
    };
  });

const RUNS = { numRuns: 150 };

describe('get → strip server fields and nulls → update is a no-op', () => {
  it('for random valid G3 definitions: same authored edges, same compiled plan, a full replace', () => {
    fc.assert(
      fc.property(fc.oneof(g3Dag, g3Loop, g3Group), (input) => {
        const { stored, view, body, next, again } = roundTrip(input);
        expect(stored.generation).toBe('g3');
        expect(isFullReplace(stored, body)).toBe(true);
        expect(next).toEqual(stored);
        expect(JSON.stringify(again.edges)).toBe(JSON.stringify(view.edges));
        expect(JSON.stringify(again.edges)).toBe(JSON.stringify(input.edges));
        expect(again.compiled).toEqual(view.compiled);
        expect(again).not.toHaveProperty('loops');
      }),
      RUNS,
    );
  });

  it('for random valid G2 definitions: the same canonical definition and view', () => {
    fc.assert(
      fc.property(fc.oneof(g2Dag, g2Loop), (input) => {
        const { stored, view, next, again } = roundTrip(input);
        expect(stored.generation).toBeUndefined();
        expect(next).toEqual(stored);
        expect(again.edges).toEqual(view.edges);
        expect(again.loops).toEqual(view.loops);
        expect(again.compiled).toEqual(view.compiled);
      }),
      RUNS,
    );
  });
});
