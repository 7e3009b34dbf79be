import { describe, expect, it } from 'vitest';
import { WHEN_LIMITS } from '../../../src/core/when';
import { countedPattern, POISON_PATTERN, poisonSubject } from '../../fixtures/costly-expressions';
import { agent, def, edge, human, passed, Run } from './harness';

const json = (ast: unknown): string => JSON.stringify(ast);
/** A gate whose pattern comes from the trigger context (so no write-time limit applies). */
const dataRegexGate = json({ op: 'regex', args: [{ var: 'output.text' }, { var: 'execution.input.pattern' }] });

describe('a gate over its evaluation limits fails the run, never the worker', () => {
  it('the poison pill: the edge does not fire and the run fails with when-limit-exceeded naming the edge', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b'), agent('c')], edges: [edge('a', 'b', dataRegexGate), edge('a', 'c')] }), {
      pattern: POISON_PATTERN,
    });
    const a = run.id('a');
    run.agentDone('a', passed({ text: poisonSubject(255_000) }));
    expect(run.steps('b')).toHaveLength(0);
    // The other edge still fires; the run fails once its steps end.
    expect(run.step('c').status).toBe('running');
    expect(run.state.status).toBe('running');
    run.runAgents();
    expect(run.state.status).toBe('failed');
    expect(run.state.failureReason).toEqual({
      code: 'when-limit-exceeded',
      message: `edge a -> b (from step ${a}): when exceeded its evaluation limits: regex pattern ${JSON.stringify(POISON_PATTERN)} compiles to 3,001 instructions (max 2,000); lower its counted repetitions ({n,m})`,
    });
    expect(run.external().at(-1)).toBe('execution.failed');
  });

  it('the gates one happening evaluates share its work budget: the fifth costliest gate is refused', () => {
    const gate = json({ op: 'regex', args: [{ var: 'output.text' }, countedPattern(999)] });
    const targets = ['t1', 't2', 't3', 't4', 't5'];
    const run = Run.start(def({ nodes: [agent('a'), ...targets.map((t) => agent(t))], edges: targets.map((t) => edge('a', t, gate)) }));
    // 791 characters is the longest subject one evaluation of a 2,000-instruction program may take.
    run.agentDone('a', passed({ text: 'c'.repeat(791) }));
    expect(WHEN_LIMITS.workPerHappening / WHEN_LIMITS.workPerEvaluation).toBe(4);
    expect(targets.map((t) => run.steps(t).length)).toEqual([1, 1, 1, 1, 0]);
    run.runAgents();
    expect(run.state.failureReason?.code).toBe('when-limit-exceeded');
    expect(run.state.failureReason?.message).toMatch(/^edge a -> t5 .* allowed per happening$/);
  });

  it('a loop predicate over its limits does not rewind and fails the run', () => {
    const run = Run.start(
      def({
        nodes: [agent('draft'), human('review', [['editor', true]]), agent('publish')],
        edges: [edge('draft', 'review'), edge('review', 'publish')],
        loops: [
          {
            loopId: 'l',
            entryNodeId: 'draft',
            bodyNodeIds: ['draft', 'review'],
            maxIterations: 3,
            onIterationReject: { when: json({ op: 'regex', args: [{ var: 'execution.input.text' }, { var: 'execution.input.pattern' }] }) },
          },
        ],
      }),
      { text: poisonSubject(255_000), pattern: POISON_PATTERN },
    );
    run.runAgents();
    run.decide('review', 'editor', 'approve');
    expect(run.steps('draft')).toHaveLength(1);
    run.runAgents();
    expect(run.state.status).toBe('failed');
    expect(run.state.failureReason?.message).toMatch(/^loop l predicate \(step .*\): when exceeded its evaluation limits: regex pattern/);
  });

  it('a gate within its limits behaves as before', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b')], edges: [edge('a', 'b', dataRegexGate)] }), { pattern: '^y[ab]+$' });
    run.agentDone('a', passed({ text: poisonSubject(10_000) }));
    run.runAgents();
    expect(run.steps('b')).toHaveLength(1);
    expect(run.state.status).toBe('completed');
  });
});
