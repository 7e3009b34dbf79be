import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CreateDefinitionRequestSchema, UpdateDefinitionRequestSchema } from '../../../src/core/definition';
import { agent, definition, edge, expectValid, human, messagesOf } from './helpers';

const SEVEN_DAYS = 7 * 24 * 60 * 60 * 1000;
const times = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));
const withAgent = (config: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  definition({ nodes: [agent('a', config, extra)] });
const withHuman = (config: Record<string, unknown>) => definition({ nodes: [{ nodeId: 'h', type: 'human', config }] });
const reviewer = (userId: string, mandatory = true) => ({ userId, mandatory });
const groupOf = (extra: Record<string, unknown>) => ({ groupId: 'g', memberNodeIds: ['start'], expectedSteps: 1, quorum: 1, ...extra });
const loopOf = (extra: Record<string, unknown>) => ({
  loopId: 'l',
  entryNodeId: 'start',
  bodyNodeIds: ['start'],
  maxIterations: 2,
  ...extra,
});

/** The first message must name the field and, where the contract documents one (docs/api.md), carry the exact text. */
const rejected: [string, Record<string, unknown>, string | RegExp][] = [
  ['definitionId pattern (uppercase)', definition({ definitionId: 'Abc' }), 'data.definitionId: must match ^[a-z0-9][a-z0-9-]{2,63}$'],
  ['definitionId too short', definition({ definitionId: 'ab' }), /^data\.definitionId: /],
  ['definitionId leading dash', definition({ definitionId: '-abc' }), /^data\.definitionId: /],
  ['definitionId 65 chars', definition({ definitionId: 'a'.repeat(65) }), /^data\.definitionId: /],
  ['name missing', { ...definition(), name: undefined }, /^data\.name: /],
  ['name empty', definition({ name: '' }), /^data\.name: Too small/],
  ['name 201 chars', definition({ name: 'n'.repeat(201) }), /^data\.name: Too big/],
  ['description 2001 chars', definition({ description: 'd'.repeat(2001) }), /^data\.description: Too big/],
  ['unknown top-level field', definition({ color: 'red' }), 'data.color: Unrecognized key: "color"'],
  ['server-owned field', definition({ version: 3 }), 'data.version: Unrecognized key: "version"'],
  ['no nodes', definition({ nodes: [] }), /^data\.nodes: Too small/],
  ['101 nodes', definition({ nodes: times(101, (i) => agent(`n${i}`)) }), /^data\.nodes: Too big/],
  ['edges missing', { ...definition(), edges: undefined }, /^data\.edges: /],
  ['501 edges', definition({ edges: times(501, () => edge('start', 'start')) }), /^data\.edges: Too big/],
  ['101 groups', definition({ groups: times(101, (i) => groupOf({ groupId: `g${i}` })) }), /^data\.groups: Too big/],
  ['21 loops', definition({ loops: times(21, (i) => loopOf({ loopId: `l${i}` })) }), /^data\.loops: Too big/],
  ['51 triggers', definition({ triggers: times(51, (i) => ({ triggerId: `t${i}` })) }), /^data\.triggers: Too big/],
  ['21 tags', definition({ tags: times(21, (i) => `t${i}`) }), /^data\.tags: Too big/],
  ['tag of 65 chars', definition({ tags: ['t'.repeat(65)] }), /^data\.tags\[0\]: Too big/],
  ['empty tag', definition({ tags: [''] }), /^data\.tags\[0\]: Too small/],
  ['custom not an object', definition({ custom: 'x' }), /^data\.custom: /],
  ['nodeId empty', definition({ nodes: [agent('')] }), /^data\.nodes\[0\]\.nodeId: Too small/],
  ['nodeId 65 chars', definition({ nodes: [agent('n'.repeat(65))] }), /^data\.nodes\[0\]\.nodeId: Too big/],
  ['unknown node type', definition({ nodes: [{ nodeId: 'x', type: 'notification', config: {} }] }), /^data\.nodes\[0\]\.type: /],
  ['unknown node field', withAgent({}, { retries: 2 }), 'data.nodes[0].retries: Unrecognized key: "retries"'],
  ['slaMs 0', withAgent({}, { slaMs: 0 }), /^data\.nodes\[0\]\.slaMs: Too small/],
  ['slaMs fractional', withAgent({}, { slaMs: 1.5 }), /^data\.nodes\[0\]\.slaMs: /],
  ['slaMs over 7 days', withAgent({}, { slaMs: SEVEN_DAYS + 1 }), /^data\.nodes\[0\]\.slaMs: Too big/],
  ['agentId missing', definition({ nodes: [{ nodeId: 'a', type: 'agent', config: {} }] }), /^data\.nodes\[0\]\.config\.agentId: /],
  ['promptOverride 8001 chars', withAgent({ promptOverride: 'p'.repeat(8001) }), /^data\.nodes\[0\]\.config\.promptOverride: Too big/],
  ['inputMapping not an object', withAgent({ inputMapping: [] }), /^data\.nodes\[0\]\.config\.inputMapping: /],
  ['agentMaxRuntimeMs over a day', withAgent({ agentMaxRuntimeMs: 86_400_001 }), /^data\.nodes\[0\]\.config\.agentMaxRuntimeMs: Too big/],
  ['agentMaxRuntimeMs 0', withAgent({ agentMaxRuntimeMs: 0 }), /^data\.nodes\[0\]\.config\.agentMaxRuntimeMs: Too small/],
  [
    'blocking without resolutionPolicy',
    withAgent({ blocking: true }),
    'data.nodes[0].config.resolutionPolicy: resolutionPolicy required when blocking === true',
  ],
  [
    'minResolved without minCount',
    withAgent({ blocking: true, resolutionPolicy: { kind: 'minResolved' } }),
    'data.nodes[0].config.resolutionPolicy.minCount: minCount required when kind === "minResolved"',
  ],
  [
    'unknown resolutionPolicy kind',
    withAgent({ blocking: true, resolutionPolicy: { kind: 'someResolved' } }),
    /^data\.nodes\[0\]\.config\.resolutionPolicy\.kind: /,
  ],
  [
    'minCount 0',
    withAgent({ blocking: true, resolutionPolicy: { kind: 'minResolved', minCount: 0 } }),
    /^data\.nodes\[0\]\.config\.resolutionPolicy\.minCount: Too small/,
  ],
  ['onReject on an agent', withAgent({ onReject: { routeToNodeId: 'x' } }), 'data.nodes[0].config.onReject: Unrecognized key: "onReject"'],
  ['no reviewers', withHuman({}), 'data.nodes[0].config: at least one of reviewerIds or reviewers must be provided'],
  [
    'both reviewer forms',
    withHuman({ reviewers: [reviewer('u1')], reviewerIds: ['u2'] }),
    'data.nodes[0].config: cannot set both reviewerIds and reviewers, use one',
  ],
  [
    'duplicate reviewers',
    withHuman({ reviewers: [reviewer('u1'), reviewer('u1', false)] }),
    'data.nodes[0].config.reviewers: reviewer userIds must be unique',
  ],
  ['duplicate reviewerIds', withHuman({ reviewerIds: ['u1', 'u1'] }), 'data.nodes[0].config.reviewerIds: reviewer userIds must be unique'],
  [
    'no mandatory reviewer',
    withHuman({ reviewers: [reviewer('u1', false), reviewer('u2', false)] }),
    'data.nodes[0].config.reviewers: reviewers must include at least one mandatory reviewer (allMandatoryApproved would otherwise never resolve)',
  ],
  [
    'empty reviewers',
    withHuman({ reviewers: [] }),
    'data.nodes[0].config.reviewers: reviewers must include at least one mandatory reviewer (allMandatoryApproved would otherwise never resolve)',
  ],
  ['empty reviewerIds', withHuman({ reviewerIds: [] }), /^data\.nodes\[0\]\.config\.reviewerIds: Too small/],
  ['101 reviewers', withHuman({ reviewers: times(101, (i) => reviewer(`u${i}`)) }), /^data\.nodes\[0\]\.config\.reviewers: Too big/],
  ['101 reviewerIds', withHuman({ reviewerIds: times(101, (i) => `u${i}`) }), /^data\.nodes\[0\]\.config\.reviewerIds: Too big/],
  ['reviewer without mandatory', withHuman({ reviewers: [{ userId: 'u1' }] }), /^data\.nodes\[0\]\.config\.reviewers\[0\]\.mandatory: /],
  [
    '51 reviewerEmails',
    withHuman({ reviewerIds: ['u1'], reviewerEmails: times(51, (i) => `r${i}@example.com`) }),
    /^data\.nodes\[0\]\.config\.reviewerEmails: Too big/,
  ],
  [
    'reviewerEmail not an address',
    withHuman({ reviewerIds: ['u1'], reviewerEmails: ['nobody'] }),
    'data.nodes[0].config.reviewerEmails[0]: must be an email address',
  ],
  [
    'commentBody 8001 chars',
    withHuman({ reviewerIds: ['u1'], commentBody: 'c'.repeat(8001) }),
    /^data\.nodes\[0\]\.config\.commentBody: Too big/,
  ],
  [
    'onReject with both forms',
    withHuman({ reviewerIds: ['u1'], onReject: { routeToNodeId: 'x', loopBack: { toNodeId: 'y' } } }),
    'data.nodes[0].config.onReject: cannot set both routeToNodeId and loopBack, use one',
  ],
  [
    'onReject with neither form',
    withHuman({ reviewerIds: ['u1'], onReject: {} }),
    'data.nodes[0].config.onReject: one of routeToNodeId or loopBack must be provided',
  ],
  [
    'loopBack without toNodeId',
    withHuman({ reviewerIds: ['u1'], onReject: { loopBack: {} } }),
    /^data\.nodes\[0\]\.config\.onReject\.loopBack\.toNodeId: /,
  ],
  [
    'loopBack maxIterations 21',
    withHuman({ reviewerIds: ['u1'], onReject: { loopBack: { toNodeId: 'x', maxIterations: 21 } } }),
    /^data\.nodes\[0\]\.config\.onReject\.loopBack\.maxIterations: Too big/,
  ],
  [
    'loopBack maxIterations 0',
    withHuman({ reviewerIds: ['u1'], onReject: { loopBack: { toNodeId: 'x', maxIterations: 0 } } }),
    /^data\.nodes\[0\]\.config\.onReject\.loopBack\.maxIterations: Too small/,
  ],
  ['edge from missing', definition({ edges: [{ to: 'start' }] }), /^data\.edges\[0\]\.from: /],
  [
    'edge unknown field',
    definition({ edges: [{ from: 'start', to: 'start', color: 'red' }] }),
    'data.edges[0].color: Unrecognized key: "color"',
  ],
  ['when over 4000 chars', definition({ edges: [edge('start', 'start', 'x'.repeat(4001))] }), /^data\.edges\[0\]\.when: Too big/],
  ['groupId 65 chars', definition({ groups: [groupOf({ groupId: 'g'.repeat(65) })] }), /^data\.groups\[0\]\.groupId: Too big/],
  [
    '501 group members',
    definition({ groups: [groupOf({ memberNodeIds: times(501, (i) => `n${i}`) })] }),
    /^data\.groups\[0\]\.memberNodeIds: Too big/,
  ],
  [
    'repeated group member',
    definition({ groups: [groupOf({ memberNodeIds: ['start', 'start'] })] }),
    'data.groups[0].memberNodeIds: must not contain duplicates',
  ],
  ['expectedSteps 501', definition({ groups: [groupOf({ expectedSteps: 501 })] }), /^data\.groups\[0\]\.expectedSteps: Too big/],
  ['unknown onQuorumMet', definition({ groups: [groupOf({ onQuorumMet: 'firstWins' })] }), /^data\.groups\[0\]\.onQuorumMet: /],
  ['loopId 65 chars', definition({ loops: [loopOf({ loopId: 'l'.repeat(65) })] }), /^data\.loops\[0\]\.loopId: Too big/],
  [
    'loopId 78 chars, not a synthesized id',
    definition({ loops: [loopOf({ loopId: 'l'.repeat(78) })] }),
    'data.loops[0].loopId: Too big: expected string to have <=64 characters',
  ],
  ['loopId 79 chars', definition({ loops: [loopOf({ loopId: `auto_${'n'.repeat(65)}_loopback` })] }), /^data\.loops\[0\]\.loopId: Too big/],
  ['empty loop body', definition({ loops: [loopOf({ bodyNodeIds: [] })] }), /^data\.loops\[0\]\.bodyNodeIds: Too small/],
  ['51 body nodes', definition({ loops: [loopOf({ bodyNodeIds: times(51, (i) => `n${i}`) })] }), /^data\.loops\[0\]\.bodyNodeIds: Too big/],
  ['maxIterations missing', definition({ loops: [loopOf({ maxIterations: undefined })] }), /^data\.loops\[0\]\.maxIterations: /],
  ['maxIterations 21', definition({ loops: [loopOf({ maxIterations: 21 })] }), /^data\.loops\[0\]\.maxIterations: Too big/],
  ['maxIterations 0', definition({ loops: [loopOf({ maxIterations: 0 })] }), /^data\.loops\[0\]\.maxIterations: Too small/],
  ['triggerId empty', definition({ triggers: [{ triggerId: '' }] }), /^data\.triggers\[0\]\.triggerId: Too small/],
  ['triggerId 129 chars', definition({ triggers: [{ triggerId: 't'.repeat(129) }] }), /^data\.triggers\[0\]\.triggerId: Too big/],
  [
    'eventName 129 chars',
    definition({ triggers: [{ triggerId: 't', eventName: 'e'.repeat(129) }] }),
    /^data\.triggers\[0\]\.eventName: Too big/,
  ],
  ['unknown scope level', definition({ scope: { level: 'team' } }), /^data\.scope\.level: /],
  [
    'organization scope without id',
    definition({ scope: { level: 'organization' } }),
    'data.scope.organizationId: required when scope.level is "organization"',
  ],
  [
    'document scope without documentId',
    definition({ scope: { level: 'document', organizationId: 'o1' } }),
    'data.scope.documentId: required when scope.level is "document"',
  ],
  [
    'top-level id disagrees with scope',
    definition({ scope: { level: 'organization', organizationId: 'o1' }, organizationId: 'o2' }),
    'data.organizationId: must match scope.organizationId ("o1")',
  ],
  [
    'organizationId on apiKey scope',
    definition({ organizationId: 'o1' }),
    'data.organizationId: only allowed when scope.level is "organization" or "document"',
  ],
  [
    'documentId on organization scope',
    definition({ scope: { level: 'organization', organizationId: 'o1', documentId: 'd1' } }),
    'data.scope.documentId: only allowed when scope.level is "document"',
  ],
];

describe('schema: limits and documented messages', () => {
  it.each(rejected)('%s', (_name, input, expected) => {
    const [first] = messagesOf(input);
    if (typeof expected === 'string') expect(first).toBe(expected);
    else expect(first).toMatch(expected);
  });

  it('names every schema problem, each with its field path', () => {
    const messages = messagesOf(
      definition({ name: '', nodes: [agent('a', { promptOverride: 'p'.repeat(8001) }), { nodeId: 'h', type: 'human', config: {} }] }),
    );
    expect(messages).toEqual([
      'data.name: Too small: expected string to have >=1 characters',
      'data.nodes[0].config.promptOverride: Too big: expected string to have <=8000 characters',
      'data.nodes[1].config: at least one of reviewerIds or reviewers must be provided',
    ]);
  });
});

describe('schema: accepted at the limits', () => {
  const loopBody = times(50, (i) => `n${i}`);
  it.each<[string, Record<string, unknown>]>([
    ['definitionId of 3 and 64 chars', definition({ definitionId: 'a'.repeat(64) })],
    ['definitionId with digits and dashes', definition({ definitionId: '0-x' })],
    ['name of 200 chars, description of 2000', definition({ name: 'n'.repeat(200), description: 'd'.repeat(2000) })],
    ['100 nodes', definition({ nodes: times(100, (i) => agent(`n${i}`)) })],
    ['nodeId of 64 chars', definition({ nodes: [agent('n'.repeat(64))] })],
    ['slaMs of exactly 7 days (no outgoing edge)', withAgent({}, { slaMs: SEVEN_DAYS })],
    [
      'agent limits',
      withAgent({
        promptOverride: 'p'.repeat(8000),
        agentMaxRuntimeMs: 86_400_000,
        urlPath: 'doc.url',
        inputMapping: { a: 1 },
        requireNonEmptyOutput: true,
      }),
    ],
    ['blocking agent, allResolved', withAgent({ blocking: true, resolutionPolicy: { kind: 'allResolved' } })],
    ['blocking agent, minResolved', withAgent({ blocking: true, resolutionPolicy: { kind: 'minResolved', minCount: 2 } })],
    [
      'webhook node with every config field',
      definition({
        nodes: [
          {
            nodeId: 'w',
            type: 'webhook',
            config: {
              url: `https://hooks.example.com/${'p'.repeat(1970)}`,
              mode: 'async',
              method: 'GET',
              authMode: 'token',
              authTokenHeader: 'authorization',
              timeoutMs: 60_000,
              expectedStatusCodes: times(20, (i) => 200 + i),
              bodyTemplate: 'none',
              requestHeaders: Object.fromEntries(times(50, (i) => [`x-extra-${i}`, 'v'.repeat(2000)])),
            },
          },
        ],
      }),
    ],
    [
      'legacy reviewerIds, 100 of them, 50 emails, 8000-char comment',
      definition({
        nodes: [
          human(
            'h',
            {
              reviewers: undefined,
              reviewerIds: times(100, (i) => `u${i}`),
              reviewerEmails: times(50, (i) => `r${i}@example.com`),
              commentBody: 'c'.repeat(8000),
            },
            {},
          ),
        ],
        loops: [loopOf({ entryNodeId: 'h', bodyNodeIds: ['h'] })],
      }),
    ],
    [
      'optional reviewers next to a mandatory one',
      definition({
        nodes: [human('h', { reviewers: [reviewer('u1'), reviewer('u2', false)], onReject: { routeToNodeId: 'x' } }), agent('x')],
      }),
    ],
    [
      '20 tags of 64 chars, 50 triggers, custom',
      definition({
        tags: times(20, (i) => `${i}`.padEnd(64, 't')),
        triggers: times(50, (i) => ({ triggerId: `t${i}`, eventName: 'e'.repeat(128), filters: { a: 1 } })),
        custom: { team: 'legal', nested: { ok: true } },
      }),
    ],
    [
      'a loop body of 50 nodes and 20 iterations',
      definition({
        nodes: loopBody.map((id) => agent(id)),
        edges: loopBody.slice(1).map((id, i) => edge(loopBody[i] as string, id)),
        loops: [loopOf({ entryNodeId: 'n0', bodyNodeIds: loopBody, maxIterations: 20 })],
      }),
    ],
    [
      'null for every optional field (a view sent back)',
      definition({
        description: null,
        groups: null,
        loops: null,
        triggers: null,
        tags: null,
        custom: null,
        scope: { level: 'apiKey', organizationId: null, documentId: null },
        edges: [],
      }),
    ],
    ['organization scope from the top-level id', definition({ scope: { level: 'organization' }, organizationId: 'o1' })],
    [
      'document scope with agreeing ids',
      definition({ scope: { level: 'document', organizationId: 'o1', documentId: 'd1' }, organizationId: 'o1', documentId: 'd1' }),
    ],
  ])('%s', (_name, input) => {
    expectValid(input);
  });
});

describe('schema: exported request schemas', () => {
  it('update needs only definitionId and ifVersion; content fields are optional', () => {
    expect(UpdateDefinitionRequestSchema.safeParse({ definitionId: 'abc', ifVersion: 1 }).success).toBe(true);
    expect(UpdateDefinitionRequestSchema.safeParse({ definitionId: 'abc', ifVersion: 1, name: 'New', tags: null }).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['ifVersion missing', { definitionId: 'abc' }],
    ['ifVersion 0', { definitionId: 'abc', ifVersion: 0 }],
    ['definitionId missing', { ifVersion: 1 }],
    ['null name', { definitionId: 'abc', ifVersion: 1, name: null }],
    ['null nodes', { definitionId: 'abc', ifVersion: 1, nodes: null }],
    ['unknown field', { definitionId: 'abc', ifVersion: 1, status: 'active' }],
    ['invalid nodes', { definitionId: 'abc', ifVersion: 1, nodes: [] }],
  ])('update refuses %s', (_name, input) => {
    expect(UpdateDefinitionRequestSchema.safeParse(input).success).toBe(false);
  });

  it('resolves blocking: false on agent configs', () => {
    const parsed = CreateDefinitionRequestSchema.parse(definition());
    expect(parsed.nodes[0]).toEqual({ nodeId: 'start', type: 'agent', config: { agentId: '__mock__', blocking: false } });
  });

  it.each([
    ['create', CreateDefinitionRequestSchema],
    ['update', UpdateDefinitionRequestSchema],
  ] as const)('%s converts to JSON Schema (for the OpenAPI document)', (_name, schema) => {
    const json = z.toJSONSchema(schema, { io: 'input' }) as {
      type: string;
      properties: Record<string, unknown>;
      additionalProperties: unknown;
    };
    expect(json.type).toBe('object');
    expect(json.additionalProperties).toBe(false);
    expect(Object.keys(json.properties)).toContain('nodes');
  });
});
