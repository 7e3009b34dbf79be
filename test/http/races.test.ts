import { describe, expect, it } from 'vitest';
import { walkthroughDefinition } from '../fixtures/definitions';
import { reviewDefinition, slaDefinition } from '../fixtures/execution-definitions';
import { useEngine } from '../support/engine';
import { allEvents, createAndDispatch, createDefinition, decide, freshId, getExecution, ok } from '../support/rest-api';
import { stepOf, stepsOf, waitForExecution, waitForStatus, waitForStep, type EventWire } from '../support/rest-api';

const engine = useEngine();
const { admin } = engine;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Ascending `seq`, unique event ids: the stream a client reads is consistent whatever raced. */
const expectConsistent = (events: EventWire[]): void => {
  expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
  events.slice(1).forEach((event, index) => expect(event.seq).toBeGreaterThan(events[index]!.seq));
};

describe('races', () => {
  it('records exactly one of 50 concurrent decisions by one reviewer (approve and reject mixed)', async () => {
    const executionId = await createAndDispatch(admin, reviewDefinition(freshId('one-reviewer'), { hold: true }));
    const { step } = await waitForStep(admin, executionId, 'human-review', 'waiting');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) => decide(admin, executionId, step.stepId, 'u_editor', index % 2 === 0 ? 'approve' : 'reject')),
    );
    // The first decision applied wins; a repeat of it is an idempotent 200 that records nothing, the opposite one a refusal.
    expect(responses.filter((response) => response.status !== 200 && response.status !== 400).map((response) => response.body)).toEqual([]);
    const recorded = responses.filter((response) => response.status === 200 && response.body.result.recorded === true);
    expect(recorded).toHaveLength(1);
    for (const refused of responses.filter((response) => response.status !== 200)) {
      expect(refused.body.error.status).toBe('FAILED_PRECONDITION');
    }

    const view = await waitForExecution(admin, executionId, (candidate) => stepOf(candidate, 'human-review').status === 'completed');
    const review = stepOf(view, 'human-review');
    expect(review.output.totalResponses).toBe(1);
    const winner = review.output.decision as string;
    expect(['approve', 'reject']).toContain(winner);
    const events = await allEvents(admin, executionId);
    expectConsistent(events);
    expect(events.filter((event) => event.type === 'step.completed' && event.stepId === step.stepId)).toHaveLength(1);
    // Exactly one branch followed.
    const next = winner === 'approve' ? 'agent-publish' : 'agent-rework';
    const other = winner === 'approve' ? 'agent-rework' : 'agent-publish';
    await waitForStep(admin, executionId, next, 'completed');
    expect(stepsOf(await getExecution(admin, executionId), other)).toEqual([]);
  }, 120_000);

  it('lets exactly one of a decision and an SLA breach at the same instant win, with consistent events', async () => {
    const definitionId = freshId('sla-race');
    const slaMs = 2_000;
    await createDefinition(admin, slaDefinition(definitionId, slaMs));
    // Decisions sent from 300 ms before to 300 ms after the deadline, so both outcomes occur.
    const offsets = Array.from({ length: 12 }, (_, index) => -300 + index * 55);
    const outcomes = await Promise.all(
      offsets.map(async (offset) => {
        const { executionId } = ok(await admin.post('executions/dispatch', { definitionId }));
        const opened = await waitForExecution(admin, executionId, (view) => stepsOf(view, 'human-review').length === 1);
        const review = stepOf(opened, 'human-review');
        await sleep(Math.max(0, (review.startedAt ?? Date.now()) + slaMs + offset - Date.now()));
        const decision = await decide(admin, executionId, review.stepId, 'u_editor', 'approve');
        const done = await waitForStatus(admin, executionId, 'completed', 30_000);
        return { executionId, stepId: review.stepId, decision, done };
      }),
    );
    for (const { executionId, stepId, decision, done } of outcomes) {
      const review = stepOf(done, 'human-review');
      const events = await allEvents(admin, executionId);
      expectConsistent(events);
      const ended = events.filter((event) => event.stepId === stepId && ['step.completed', 'step.breached'].includes(event.type));
      expect(ended).toHaveLength(1);
      if (decision.status === 200) {
        // The decision won: recorded, the step completed, the approve branch ran, no breach.
        expect(decision.body.result.recorded).toBe(true);
        expect(review.status).toBe('completed');
        expect(ended[0]!.type).toBe('step.completed');
        expect(stepsOf(done, 'agent-publish')).toHaveLength(1);
        expect(stepsOf(done, 'agent-escalate')).toEqual([]);
      } else {
        // The breach won: the decision is refused naming the step's state, the breach edge ran.
        expect(decision.body.error.status).toBe('FAILED_PRECONDITION');
        expect(decision.body.error.message).toContain(stepId);
        expect(review.status).toBe('breached');
        expect(ended[0]!.type).toBe('step.breached');
        expect(stepsOf(done, 'agent-escalate')).toHaveLength(1);
        expect(stepsOf(done, 'agent-publish')).toEqual([]);
      }
    }
    const won = outcomes.filter(({ decision }) => decision.status === 200).length;
    console.info(`decision vs SLA: ${won} decisions won, ${outcomes.length - won} breaches won`);
  }, 180_000);

  it('turns 50 concurrent dispatches with one idempotency key into exactly one execution', async () => {
    const definitionId = freshId('idem50');
    await createDefinition(admin, walkthroughDefinition(definitionId));
    const key = `order-${definitionId}`;
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => admin.post('executions/dispatch', { definitionId, idempotencyKey: key })),
    );
    const results = responses.map((response) => ok<{ executionId: string; deduplicated: boolean }>(response));
    expect(new Set(results.map((result) => result.executionId)).size).toBe(1);
    expect(results.filter((result) => !result.deduplicated)).toHaveLength(1);
    const events = await allEvents(admin, results[0]!.executionId);
    expectConsistent(events);
    expect(events.filter((event) => event.type === 'execution.dispatched')).toHaveLength(1);
  }, 120_000);
});
