import { describe, expect, it } from 'vitest';
import type { StepStatus } from '../../../src/core/interpreter';
import { agent, def, edge, human, passed, Run } from './harness';

/** docs/runtime.md, "Step lifecycle": every step transition, with the event it emits (internal ones included). */

interface Case {
  name: string;
  definition: ReturnType<typeof def>;
  act: (run: Run) => void;
  node: string;
  status: StepStatus;
  /** Event types of the step, in order. */
  events: string[];
}

const agentOnly = def({ nodes: [agent('a')] });
const blockingAgent = def({ nodes: [agent('a', { blocking: true, resolutionPolicy: { kind: 'allResolved' } })] });
const humanOnly = def({ nodes: [human('h', [['u1', true]])] });
const withSla = (node: ReturnType<typeof agent> | ReturnType<typeof human>) =>
  def({ nodes: [{ ...node, slaMs: 1000 }, agent('escalate')], edges: [edge(node.nodeId, 'escalate')] });

const cases: Case[] = [
  {
    name: '(create) → running: agent',
    definition: agentOnly,
    act: () => {},
    node: 'a',
    status: 'running',
    events: ['step.scheduled', 'step.started'],
  },
  {
    name: '(create) → waiting: human',
    definition: humanOnly,
    act: () => {},
    node: 'h',
    status: 'waiting',
    events: ['step.scheduled', 'step.started', 'step.awaiting-approval'],
  },
  {
    name: 'running → completed: agent finishes',
    definition: agentOnly,
    act: (run) => run.agentDone('a'),
    node: 'a',
    status: 'completed',
    events: ['step.scheduled', 'step.started', 'step.completed'],
  },
  {
    name: 'running → completed: agent reports failed (decision reject)',
    definition: agentOnly,
    act: (run) => run.agentDone('a', passed({}, { status: 'failed' })),
    node: 'a',
    status: 'completed',
    events: ['step.scheduled', 'step.started', 'step.completed'],
  },
  {
    name: 'running → failed: agent error',
    definition: agentOnly,
    act: (run) => run.agentFail('a'),
    node: 'a',
    status: 'failed',
    events: ['step.scheduled', 'step.started', 'step.failed'],
  },
  {
    name: 'running → waiting: blocking agent ran',
    definition: blockingAgent,
    act: (run) => run.agentDone('a'),
    node: 'a',
    status: 'waiting',
    events: ['step.scheduled', 'step.started', 'step.awaiting-approval'],
  },
  {
    name: 'waiting → completed: blocking agent resolved',
    definition: blockingAgent,
    act: (run) => {
      run.agentDone('a');
      run.apply({ kind: 'agentResolutionRecorded', stepId: run.id('a'), resolutionId: 'r1', status: 'success' });
    },
    node: 'a',
    status: 'completed',
    events: ['step.scheduled', 'step.started', 'step.awaiting-approval', 'step.response-recorded', 'step.resumed', 'step.completed'],
  },
  {
    name: 'waiting → completed: human aggregator',
    definition: humanOnly,
    act: (run) => run.decide('h', 'u1', 'approve'),
    node: 'h',
    status: 'completed',
    events: ['step.scheduled', 'step.started', 'step.awaiting-approval', 'step.response-recorded', 'step.resumed', 'step.completed'],
  },
  {
    name: 'waiting → completed: force-approve',
    definition: humanOnly,
    act: (run) => run.apply({ kind: 'stepResolved', stepId: run.id('h'), action: 'force-approve', actorId: 'admin' }),
    node: 'h',
    status: 'completed',
    events: ['step.scheduled', 'step.started', 'step.awaiting-approval', 'step.overridden', 'step.resumed', 'step.completed'],
  },
  {
    name: 'running → completed: force-complete',
    definition: agentOnly,
    act: (run) => run.apply({ kind: 'stepResolved', stepId: run.id('a'), action: 'force-complete', actorId: 'admin' }),
    node: 'a',
    status: 'completed',
    events: ['step.scheduled', 'step.started', 'step.overridden', 'step.completed'],
  },
  {
    name: 'waiting → failed: force-fail',
    definition: humanOnly,
    act: (run) => run.apply({ kind: 'stepResolved', stepId: run.id('h'), action: 'force-fail', actorId: 'admin' }),
    node: 'h',
    status: 'failed',
    events: ['step.scheduled', 'step.started', 'step.awaiting-approval', 'step.overridden', 'step.failed'],
  },
  {
    name: '(create) → failed: webhook node',
    definition: def({ nodes: [{ nodeId: 'w', type: 'webhook', config: {} }] }),
    act: () => {},
    node: 'w',
    status: 'failed',
    events: ['step.scheduled', 'step.started', 'step.failed'],
  },
  {
    name: 'running → breached: agent SLA',
    definition: withSla(agent('a')),
    act: (run) => run.advance(1000).fireDueTimers(),
    node: 'a',
    status: 'breached',
    events: ['step.scheduled', 'step.started', 'step.breached'],
  },
  {
    name: 'waiting → breached: human SLA',
    definition: withSla(human('h', [['u1', true]])),
    act: (run) => run.advance(1000).fireDueTimers(),
    node: 'h',
    status: 'breached',
    events: ['step.scheduled', 'step.started', 'step.awaiting-approval', 'step.breached'],
  },
  {
    name: 'waiting → cancelled: /steps/cancel',
    definition: humanOnly,
    act: (run) => run.apply({ kind: 'stepCancelled', stepId: run.id('h'), actorId: 'admin', reason: 'no longer needed' }),
    node: 'h',
    status: 'cancelled',
    events: ['step.scheduled', 'step.started', 'step.awaiting-approval', 'step.overridden', 'step.cancelled'],
  },
  {
    name: 'running → cancelled: execution cancel',
    definition: agentOnly,
    act: (run) => run.apply({ kind: 'executionCancelled' }),
    node: 'a',
    status: 'cancelled',
    events: ['step.scheduled', 'step.started', 'step.cancelled'],
  },
];

describe('step transitions', () => {
  it.each(cases)('$name', ({ definition, act, node, status, events }) => {
    const run = Run.start(definition);
    act(run);
    const step = run.step(node);
    expect(step.status).toBe(status);
    expect(run.state.events.filter((e) => e.stepId === step.stepId).map((e) => e.type)).toEqual(events);
  });

  it('pending is never observed: a created step is started in the same instant', () => {
    const run = Run.start(agentOnly);
    expect(run.step('a')).toMatchObject({ status: 'running', createdAt: run.now, startedAt: run.now });
  });

  it('terminal steps ignore late agent results and timers', () => {
    const run = Run.start(withSla(agent('a')));
    const stepId = run.id('a');
    run.apply({ kind: 'stepCancelled', stepId, actorId: 'admin' });
    const before = run.state;
    run.apply({ kind: 'agentSucceeded', stepId, result: passed() });
    run.apply({ kind: 'agentFailed', stepId, code: 'agent-failed', message: 'x' });
    run.apply({ kind: 'slaExpired', stepId });
    expect(run.state.events).toEqual(before.events);
    expect(run.step('a').status).toBe('cancelled');
  });

  it('completed and failed steps carry completedAt and an error only on failure', () => {
    const run = Run.start(def({ nodes: [agent('a'), agent('b')] }));
    run.advance(250).agentDone('a').agentFail('b', 'agent-timeout');
    expect(run.step('a')).toMatchObject({ completedAt: run.now, error: null });
    expect(run.step('b')).toMatchObject({ completedAt: run.now, error: { code: 'agent-timeout', message: 'agent-timeout happened' } });
    expect(run.eventsOf('step.failed')[0]?.data).toEqual({ error: { code: 'agent-timeout', message: 'agent-timeout happened' } });
  });
});
