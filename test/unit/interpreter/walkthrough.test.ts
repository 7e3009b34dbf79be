import { describe, expect, it } from 'vitest';
import { eventsPage, toExecutionView } from '../../../src/core/interpreter';
import { agent, approveGate, def, edge, human, rejectGate, Run, T0 } from './harness';

/** Seed 004 "Build your first workflow", in its canonical (desugared) form. */
const walkthrough = def({
  definitionId: 'blog-post-approval',
  nodes: [human('human-review', [['u_editor', true]]), agent('agent-publish'), agent('agent-followup')],
  edges: [edge('human-review', 'agent-publish', approveGate), edge('human-review', 'agent-followup', rejectGate)],
});

describe('seed 004 walkthrough', () => {
  it('dispatch: running, one human step waiting, execution.dispatched with the root step id', () => {
    const run = Run.start(walkthrough, { postId: 'p1' });
    const view = toExecutionView(run.state);
    expect(view).toMatchObject({
      executionId: 'exec_1777374504255_xzy43k9q',
      status: 'running',
      startedAt: T0,
      completedAt: null,
      cancelledAt: null,
      definitionId: 'blog-post-approval',
      definitionVersion: 3,
      correlationId: 'corr_campaign_42',
      idempotencyKey: 'campaign-42-dispatch',
      failureReason: null,
    });
    expect(view.steps).toHaveLength(1);
    const [step] = view.steps;
    expect(step).toMatchObject({
      nodeId: 'human-review',
      nodeType: 'human',
      status: 'waiting',
      groupId: null,
      startedAt: T0,
      completedAt: null,
      error: null,
    });
    expect(step?.stepId).toMatch(/^step_human-review_1777374504255_[a-z0-9]{6}$/);
    expect(run.external()).toEqual(['execution.dispatched', 'step.awaiting-approval:human-review']);
    const [dispatched, awaiting] = run.state.events.filter((e) => e.type === 'execution.dispatched' || e.type === 'step.awaiting-approval');
    expect(dispatched?.data).toEqual({ definitionId: 'blog-post-approval', definitionVersion: 3, rootStepIds: [step?.stepId] });
    expect(awaiting?.data).toEqual({ waitingForReviewers: 1, mandatoryCount: 1, resumeKey: `human:${step?.stepId}` });
  });

  it('approve path: resolves, publishes, completes; a replay is recorded: false', () => {
    const run = Run.start(walkthrough);
    const reviewId = run.id('human-review');
    run.advance(60_000);
    expect(run.decide('human-review', 'u_editor', 'approve')).toEqual({
      recorded: true,
      aggregatorStatus: 'resolved',
      resumeScheduled: true,
    });
    expect(run.step('human-review')).toMatchObject({ status: 'completed', completedAt: T0 + 60_000 });
    expect(run.step('agent-publish').stepId).toBe(`${reviewId}__to__agent-publish`);
    expect(run.steps('agent-followup')).toHaveLength(0);
    expect(run.lastCommands).toContainEqual(
      expect.objectContaining({ kind: 'runAgent', stepId: `${reviewId}__to__agent-publish`, agentId: '__mock__' }),
    );
    run.advance(500).runAgents();
    expect(run.state.status).toBe('completed');
    expect(run.state.completedAt).toBe(T0 + 60_500);
    expect(run.external()).toEqual([
      'execution.dispatched',
      'step.awaiting-approval:human-review',
      'step.completed:human-review',
      'step.completed:agent-publish',
      'execution.completed',
    ]);
    expect(run.eventsOf('step.completed')[0]?.data).toEqual({
      aggregatorStatus: 'resolved',
      nodeType: 'human',
      decision: 'approve',
      aggregatorBacked: true,
    });
    expect(run.eventsOf('step.completed')[1]?.data).toEqual({ agentId: '__mock__' });
    expect(run.eventsOf('execution.completed')[0]?.data).toBeNull();
    expect(run.decide('human-review', 'u_editor', 'approve')).toEqual({
      recorded: false,
      aggregatorStatus: 'resolved',
      resumeScheduled: false,
    });
  });

  it('reject path: routes to the follow-up agent and completes', () => {
    const run = Run.start(walkthrough);
    expect(run.decide('human-review', 'u_editor', 'reject', 'needs a better title')).toEqual({
      recorded: true,
      aggregatorStatus: 'rejected',
      resumeScheduled: true,
    });
    expect(run.step('human-review').output).toMatchObject({
      decision: 'reject',
      approved: false,
      rejectedBy: 'u_editor',
      rejectorMandatory: true,
      rejectionReason: 'needs a better title',
    });
    expect(run.steps('agent-publish')).toHaveLength(0);
    run.runAgents();
    expect(run.external()).toEqual([
      'execution.dispatched',
      'step.awaiting-approval:human-review',
      'step.completed:human-review',
      'step.completed:agent-followup',
      'execution.completed',
    ]);
    expect(run.state.status).toBe('completed');
  });

  it('polling with sinceSeq returns only what is new, skipping internal events', () => {
    const run = Run.start(walkthrough);
    const first = eventsPage(run.state, { sinceSeq: 0, pageSize: 100 });
    expect(first.events.map((e) => e.type)).toEqual(['execution.dispatched', 'step.awaiting-approval']);
    expect(first.hasMore).toBe(false);
    expect(first.nextCursor).toBe(run.state.lastSeq);
    run.decide('human-review', 'u_editor', 'approve');
    run.runAgents();
    const next = eventsPage(run.state, { sinceSeq: first.nextCursor, pageSize: 100 });
    expect(next.events.map((e) => e.type)).toEqual(['step.completed', 'step.completed', 'execution.completed']);
    expect(next.events.every((e) => e.seq > first.nextCursor)).toBe(true);
    expect(next.events[0]?.eventId).toBe(`evt_exec_1777374504255_xzy43k9q_${next.events[0]?.seq}`);
    expect(next.events[0]?.correlationId).toBe('corr_campaign_42');
  });
});
