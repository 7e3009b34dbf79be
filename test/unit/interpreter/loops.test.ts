import { describe, expect, it } from 'vitest';
import type { Loop } from '../../../src/core/definition';
import { toExecutionView, type RunAgent } from '../../../src/core/interpreter';
import { agent, approveGate, def, edge, human, rejectGate, Run } from './harness';

const loopBack = (loop: Partial<Loop> = {}) =>
  def({
    nodes: [
      agent('draft'),
      human('review', [
        ['editor', true],
        ['intern', false],
      ]),
      agent('publish'),
      agent('escalate'),
    ],
    edges: [edge('draft', 'review'), edge('review', 'publish', approveGate)],
    loops: [
      {
        loopId: 'auto_review_loopback',
        entryNodeId: 'draft',
        bodyNodeIds: ['draft', 'review'],
        maxIterations: 3,
        onExhausted: { routeToNodeId: 'escalate' },
        ...loop,
      },
    ],
  });

const reject = (run: Run, reason = 'too long') => {
  run.runAgents();
  run.decide('review', 'editor', 'reject', reason);
};

describe('loops: single-terminal body', () => {
  it('a mandatory rejection starts iteration 2 with previousAttempts; the reject gets no normal fan-out', () => {
    const run = Run.start(loopBack());
    const draft1 = run.id('draft');
    run.runAgents();
    const review1 = run.id('review');
    run.advance(1000);
    run.decide('review', 'editor', 'reject', 'too long');
    expect(run.external().slice(-2)).toEqual(['step.completed:review', 'loop.iteration-started']);
    expect(run.eventsOf('loop.iteration-started')[0]).toMatchObject({
      stepId: review1,
      data: { loopId: 'auto_review_loopback', iteration: 2, triggeredBy: 'rejection' },
    });
    const draft2 = run.step('draft');
    expect(draft2).toMatchObject({ stepId: `${draft1}__iter_2`, iteration: 2, parentStepId: null });
    const input = toExecutionView(run.state).steps.find((s) => s.stepId === draft2.stepId)?.input;
    expect(input).toEqual({
      iteration: 2,
      loopId: 'auto_review_loopback',
      previousAttempts: [
        {
          iteration: 1,
          authorOutput: run.steps('review')[0]?.output,
          rejectedBy: 'editor',
          rejectorMandatory: true,
          rejectionReason: 'too long',
          rejectedAt: run.now,
        },
      ],
    });
    const command = run.lastCommands.find((c): c is RunAgent => c.kind === 'runAgent');
    expect(command?.input.stepInput).toEqual(input);
    run.runAgents();
    expect(run.step('review').stepId).toBe(`${draft1}__iter_2__to__review__iter_2`);
    expect(run.steps('publish')).toHaveLength(0);
  });

  it('approval in a later iteration leaves the loop through the normal edges', () => {
    const run = Run.start(loopBack());
    reject(run);
    run.runAgents();
    run.decide('review', 'editor', 'approve');
    run.runAgents();
    expect(run.steps('publish')).toHaveLength(1);
    expect(run.step('publish').stepId).toMatch(/__iter_2__to__review__iter_2__to__publish$/);
    expect(run.step('publish').iteration).toBe(1);
    expect(run.state.status).toBe('completed');
  });

  it('exhaustion spawns the onExhausted route with every attempt', () => {
    const run = Run.start(loopBack());
    reject(run, 'one');
    reject(run, 'two');
    reject(run, 'three');
    expect(run.external().filter((t) => t.startsWith('loop.'))).toEqual([
      'loop.iteration-started',
      'loop.iteration-started',
      'loop.exhausted',
    ]);
    expect(run.eventsOf('loop.exhausted')[0]?.data).toEqual({
      loopId: 'auto_review_loopback',
      iteration: 3,
      lastRejectedBy: 'editor',
      lastRejectionReason: 'three',
    });
    const escalate = run.step('escalate');
    expect(escalate.stepId).toBe('loop_auto_review_loopback__exhausted__to__escalate');
    const input = toExecutionView(run.state).steps.find((s) => s.nodeId === 'escalate')?.input as { previousAttempts: unknown[] };
    expect(input.previousAttempts).toHaveLength(3);
    run.runAgents();
    expect(run.state.status).toBe('completed');
    expect(run.steps('draft')).toHaveLength(3);
  });

  it('exhaustion with no route fails the run with loop-exhausted', () => {
    const run = Run.start(loopBack({ onExhausted: undefined, maxIterations: 2 }));
    reject(run);
    reject(run);
    expect(run.state).toMatchObject({ status: 'failed', failureReason: { code: 'loop-exhausted' } });
  });

  it('maxIterations 1: the first rejection exhausts', () => {
    const run = Run.start(loopBack({ maxIterations: 1 }));
    reject(run);
    expect(run.eventsOf('loop.iteration-started')).toHaveLength(0);
    expect(run.eventsOf('loop.exhausted')).toHaveLength(1);
  });

  it('the default predicate ignores optional rejections and /steps/resolve rejections', () => {
    const optional = Run.start(loopBack());
    optional.runAgents();
    optional.decide('review', 'intern', 'reject');
    expect(optional.eventsOf('loop.iteration-started')).toHaveLength(0);
    expect(optional.state.status).toBe('completed');

    const resolved = Run.start(loopBack());
    resolved.runAgents();
    resolved.apply({ kind: 'stepResolved', stepId: resolved.id('review'), action: 'reviewer-reject', actorId: 'editor' });
    expect(resolved.eventsOf('loop.iteration-started')).toHaveLength(0);
  });

  it('a custom predicate on decision alone also fires for resolve rejections', () => {
    const run = Run.start(loopBack({ onIterationReject: { when: rejectGate } }));
    run.runAgents();
    run.apply({ kind: 'stepResolved', stepId: run.id('review'), action: 'force-reject', actorId: 'ops' });
    expect(run.eventsOf('loop.iteration-started')).toHaveLength(1);
    const input = toExecutionView(run.state).steps.at(-1)?.input as { previousAttempts: Array<Record<string, unknown>> };
    expect(input.previousAttempts[0]).toMatchObject({ rejectedBy: null, rejectorMandatory: false, rejectionReason: null });
  });

  it('in-flight body steps are cancelled with loop-restart', () => {
    const run = Run.start(
      def({
        nodes: [agent('draft'), human('review', [['editor', true]]), human('notes', [['n', true]]), agent('publish')],
        edges: [edge('draft', 'review'), edge('draft', 'notes'), edge('review', 'publish', approveGate)],
        loops: [{ loopId: 'l', entryNodeId: 'draft', bodyNodeIds: ['draft', 'review', 'notes'], maxIterations: 2 }],
      }),
    );
    run.runAgents();
    const notes1 = run.id('notes');
    run.decide('review', 'editor', 'reject');
    expect(run.external().slice(-3)).toEqual(['step.completed:review', 'loop.iteration-started', 'step.cancelled:notes']);
    expect(run.eventsOf('step.cancelled')[0]).toMatchObject({
      stepId: notes1,
      data: { actorId: 'system:loop-restart', reason: 'loop-restart' },
    });
    expect(run.step('draft').status).toBe('running');
  });

  it('a mid-body mandatory rejection that none of its own edges routes rewinds the loop', () => {
    const body = (checkEdges: ReturnType<typeof edge>[]) =>
      def({
        nodes: [agent('draft'), human('check', [['c', true]]), human('final', [['f', true]]), agent('publish'), agent('fixup')],
        edges: [edge('draft', 'check'), edge('check', 'final', approveGate), ...checkEdges, edge('final', 'publish', approveGate)],
        loops: [
          {
            loopId: 'l',
            entryNodeId: 'draft',
            bodyNodeIds: ['draft', 'check', 'final', 'fixup'].filter((n) => n !== 'fixup' || checkEdges.length > 0),
            maxIterations: 3,
          },
        ],
      });
    const rewinds = Run.start(body([]));
    rewinds.runAgents();
    rewinds.decide('check', 'c', 'reject');
    expect(rewinds.eventsOf('loop.iteration-started')).toHaveLength(1);

    const routed = Run.start(body([edge('check', 'fixup', rejectGate), edge('fixup', 'final')]));
    routed.runAgents();
    routed.decide('check', 'c', 'reject');
    expect(routed.eventsOf('loop.iteration-started')).toHaveLength(0);
    expect(routed.steps('fixup')).toHaveLength(1);
  });
});

describe('loops: group-bounded body', () => {
  const bounded = (maxIterations = 3, onExhausted: Loop['onExhausted'] = undefined) =>
    def({
      nodes: [
        agent('draft'),
        human('legal', [
          ['u_legal', true],
          ['legal_opt', false],
        ]),
        human('brand', [['u_brand', true]]),
        agent('publish'),
      ],
      edges: [edge('draft', 'legal'), edge('draft', 'brand'), edge('legal', 'publish'), edge('brand', 'publish')],
      groups: [{ groupId: 'review', memberNodeIds: ['legal', 'brand'], expectedSteps: 2, quorum: 2, onQuorumMet: 'joinOnQuorum' }],
      loops: [{ loopId: 'review-loop', entryNodeId: 'draft', bodyNodeIds: ['draft', 'legal', 'brand'], maxIterations, onExhausted }],
    });

  it('a member mandatory rejection rewinds at once; the next iteration has fresh group state', () => {
    const run = Run.start(bounded());
    const draft1 = run.id('draft');
    run.runAgents();
    run.decide('legal', 'u_legal', 'approve');
    run.decide('brand', 'u_brand', 'reject', 'off-brand');
    expect(run.eventsOf('loop.iteration-started')).toHaveLength(1);
    expect(run.eventsOf('group.quorum-met')).toHaveLength(0);
    run.runAgents();
    expect(run.step('legal').stepId).toBe(`${draft1}__iter_2__to__legal__iter_2`);
    run.decide('legal', 'u_legal', 'approve');
    expect(run.eventsOf('group.quorum-met')).toHaveLength(0);
    run.decide('brand', 'u_brand', 'approve');
    expect(run.eventsOf('group.quorum-met')[0]?.data).toMatchObject({ total: 2, completedTotal: 2 });
    expect(run.step('publish').stepId).toBe('group_review__to__publish__iter_2');
    run.runAgents();
    expect(run.state.status).toBe('completed');
    expect(run.state.groups.map((g) => [g.iteration, g.closed, g.quorumMet])).toEqual([
      [1, true, false],
      [2, false, true],
    ]);
  });

  it('a rejection while a sibling still waits cancels the sibling with loop-restart', () => {
    const run = Run.start(bounded());
    run.runAgents();
    const brand1 = run.id('brand');
    run.decide('legal', 'u_legal', 'reject');
    expect(run.state.steps.find((s) => s.stepId === brand1)?.status).toBe('cancelled');
    expect(run.eventsOf('step.cancelled')[0]?.data).toEqual({ actorId: 'system:loop-restart', reason: 'loop-restart' });
  });

  it('exhaustion without a route fails with loop-exhausted, not group-quorum-unmet', () => {
    const run = Run.start(bounded(1));
    run.runAgents();
    run.decide('legal', 'u_legal', 'reject');
    expect(run.state.failureReason?.code).toBe('loop-exhausted');
  });

  it('an optional rejection does not rewind; the group ends without quorum and the run completes', () => {
    const run = Run.start(bounded());
    run.runAgents();
    run.decide('legal', 'legal_opt', 'reject');
    run.decide('brand', 'u_brand', 'approve');
    expect(run.eventsOf('loop.iteration-started')).toHaveLength(0);
    expect(run.steps('publish')).toHaveLength(0);
    expect(run.state.status).toBe('completed');
  });
});

describe('loops: edge cases', () => {
  it('a body step that ends in the same instant as a restart is not routed into the new iteration', () => {
    const failedGate = JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'failed'] });
    const run = Run.start(
      def({
        nodes: [
          agent('entry'),
          { nodeId: 'w1', type: 'webhook', config: {} },
          { nodeId: 'w2', type: 'webhook', config: {} },
          agent('x'),
          agent('out'),
        ],
        edges: [edge('entry', 'w1'), edge('entry', 'w2'), edge('w1', 'out', approveGate), edge('w2', 'x')],
        loops: [
          {
            loopId: 'l',
            entryNodeId: 'entry',
            bodyNodeIds: ['entry', 'w1', 'w2', 'x'],
            maxIterations: 2,
            onIterationReject: { when: failedGate },
          },
        ],
      }),
    );
    run.agentDone('entry');
    expect(run.eventsOf('loop.iteration-started')).toHaveLength(1);
    expect(run.steps('x')).toHaveLength(0);
    expect(run.step('entry').iteration).toBe(2);
  });
});
