import { describe, expect, it } from 'vitest';
import { compileWhen } from '../../../src/core/when';
import { REJECT_WHEN, MANDATORY_REJECT_WHEN } from '../../../src/core/definition';
import { APPROVE, BREACHED, MANDATORY_REJECT, REJECT, agent, codesOf, definition, edge, expectValid, human, messagesOf } from './helpers';

const twoNodes = (gate: unknown) => definition({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', gate as string)] });

describe('when compilation: edges are stored in canonical JSON', () => {
  it.each<[string, string, string]>([
    ['canonical JSON stays as is', APPROVE, APPROVE],
    ['infix is normalised', "output.decision == 'approve'", APPROVE],
    ['whitespace in JSON is dropped', '{ "op": "eq", "args": [ {"var": "step.status"}, "breached" ] }', BREACHED],
    [
      'operator alias ne is canonicalised',
      '{"op":"ne","args":[{"var":"output.decision"},"reject"]}',
      '{"op":"neq","args":[{"var":"output.decision"},"reject"]}',
    ],
  ])('%s', (_name, source, canonical) => {
    expect(expectValid(twoNodes(source)).edges).toEqual([{ from: 'a', to: 'b', when: canonical }]);
  });

  it('an edge without when, or with when null, is stored with when: null', () => {
    const stored = expectValid(definition({ nodes: [agent('a'), agent('b'), agent('c')], edges: [edge('a', 'b'), edge('a', 'c', null)] }));
    expect(stored.edges).toEqual([
      { from: 'a', to: 'b', when: null },
      { from: 'a', to: 'c', when: null },
    ]);
  });

  it('the synthesized predicates are what compileWhen makes of the spec ASTs', () => {
    expect(compileWhen(REJECT)).toMatchObject({ ok: true, canonical: REJECT_WHEN });
    expect(compileWhen(MANDATORY_REJECT)).toMatchObject({ ok: true, canonical: MANDATORY_REJECT_WHEN });
  });
});

describe('when compilation: failures name the field', () => {
  it.each<[string, unknown, RegExp]>([
    ['unknown operator', '{"op":"between","args":[1,2]}', /^data\.edges\[0\]\.when: /],
    ['unknown root', '{"op":"eq","args":[{"var":"secrets.key"},1]}', /^data\.edges\[0\]\.when: /],
    ['broken JSON', '{"op":', /^data\.edges\[0\]\.when: invalid JSON/],
    ['empty string', '', /^data\.edges\[0\]\.when: /],
  ])('%s', (_name, source, expected) => {
    const input = twoNodes(source);
    expect(codesOf(input)).toEqual(['invalid-when']);
    expect(messagesOf(input)[0]).toMatch(expected);
  });

  it('reports every bad when at once, in edges, loops and loopBack', () => {
    const messages = messagesOf(
      definition({
        nodes: [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a', when: 'output.x ==' } } })],
        edges: [edge('a', 'h', '{"op":"nope","args":[]}')],
        loops: [{ loopId: 'l', entryNodeId: 'a', bodyNodeIds: ['a'], maxIterations: 2, onIterationReject: { when: '{"op":' } }],
      }),
    );
    expect(messages.map((message) => message.split(':')[0])).toEqual([
      'data.edges[0].when',
      'data.loops[0].onIterationReject.when',
      'data.nodes[1].config.onReject.loopBack.when',
    ]);
  });

  it('runs after the schema: a schema error hides when errors', () => {
    expect(codesOf(definition({ name: '', nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', '{"op":')] }))).toEqual([
      'invalid-field',
    ]);
  });
});

describe('when compilation: loops', () => {
  it('a loop predicate written in infix is stored canonical', () => {
    const stored = expectValid(
      definition({
        nodes: [agent('a'), human('h')],
        edges: [edge('a', 'h')],
        loops: [
          {
            loopId: 'l',
            entryNodeId: 'a',
            bodyNodeIds: ['a', 'h'],
            maxIterations: 2,
            onIterationReject: { when: "output.decision == 'reject'" },
          },
        ],
      }),
    );
    expect(stored.loops?.[0]?.onIterationReject).toEqual({ when: REJECT_WHEN });
  });

  it('a custom loopBack predicate is stored canonical on the synthesized loop', () => {
    const stored = expectValid(
      definition({
        nodes: [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a', when: "output.decision == 'reject'" } } })],
        edges: [edge('a', 'h')],
      }),
    );
    expect(stored.loops?.[0]?.onIterationReject).toEqual({ when: REJECT_WHEN });
    expect(stored.authoredOnReject).toEqual([{ nodeId: 'h', onReject: { loopBack: { toNodeId: 'a', when: REJECT_WHEN } } }]);
  });
});
