import { describe, expect, it } from 'vitest';
import { rootNodeIds, validateDefinition } from '../../../src/core/definition';
import { buildPlan } from '../../../src/core/interpreter/plan';
import { agent, definition, edge, expectValid, human } from './helpers';

/** The runtime compiles what this module stores; both must read loop shapes and roots alike. */
describe('canonical definitions feed the interpreter plan', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'group-bounded loop',
      definition({
        nodes: [agent('d'), human('h1'), human('h2'), agent('p'), agent('esc')],
        edges: [edge('d', 'h1'), edge('d', 'h2'), edge('h1', 'p'), edge('h2', 'p')],
        groups: [{ groupId: 'g', memberNodeIds: ['h1', 'h2'], expectedSteps: 2, quorum: 2, onQuorumMet: 'joinOnQuorum' }],
        loops: [{ loopId: 'l', entryNodeId: 'd', bodyNodeIds: ['d', 'h1', 'h2'], maxIterations: 2, onExhausted: { routeToNodeId: 'esc' } }],
      }),
      'group',
    ],
    [
      'synthesized loopBack ending at its sink',
      definition({ nodes: [agent('a'), human('h', { onReject: { loopBack: { toNodeId: 'a' } } })], edges: [edge('a', 'h')] }),
      'node',
    ],
  ])('%s', (_name, input, terminal) => {
    const stored = expectValid(input);
    const plan = buildPlan(stored);
    expect(plan.roots).toEqual(rootNodeIds(stored));
    expect([...plan.loops.values()].map((loop) => loop.terminal.kind)).toEqual([terminal]);
  });

  it('every when the pipeline stores compiles at plan time', () => {
    const result = validateDefinition(
      definition({
        nodes: [human('h', { onReject: { routeToNodeId: 'x' } }, { slaMs: 1000 }), agent('x'), agent('y')],
        edges: [edge('h', 'y', "output.decision == 'approve' || step.status == 'breached'")],
      }),
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(() => buildPlan(result.definition)).not.toThrow();
  });
});
