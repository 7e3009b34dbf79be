import { describe, expect, it } from 'vitest';
import { LimiterBook } from '../../../src/core/limits/limiter-book';

const limits = { maxRunningExecutions: 2, maxRunningAgents: 2 };
const slot = (workflowId: string, stepId: string) => ({ workflowId, stepId });

describe('the workspace limiter book', () => {
  it('admits executions up to the limit and refuses the next with RESOURCE_EXHAUSTED naming the limit', () => {
    const book = LimiterBook.empty(limits);
    book.admit('w1', limits, 1);
    book.admit('w2', limits, 2);
    expect(book.admissionProblem('w1')).toBeNull();
    const refusal = book.admissionProblem('w3');
    expect(refusal?.status).toBe('RESOURCE_EXHAUSTED');
    expect(refusal?.message).toContain('2 running executions (maxRunningExecutions)');
    book.ended('w1');
    expect(book.admissionProblem('w3')).toBeNull();
  });

  it('grants agent slots first come, first served, and hands a released slot to the oldest waiter', () => {
    const book = LimiterBook.empty(limits);
    expect(book.request(slot('w1', 'a'))).toEqual([slot('w1', 'a')]);
    expect(book.request(slot('w1', 'b'))).toEqual([slot('w1', 'b')]);
    expect(book.request(slot('w2', 'c'))).toEqual([]);
    expect(book.request(slot('w2', 'd'))).toEqual([]);
    expect(book.snapshot().waiting).toEqual([slot('w2', 'c'), slot('w2', 'd')]);
    expect(book.release(slot('w1', 'a'))).toEqual([slot('w2', 'c')]);
  });

  it('asking again for a held slot grants it again, and a waiter is queued once', () => {
    const book = LimiterBook.empty({ ...limits, maxRunningAgents: 1 });
    book.request(slot('w1', 'a'));
    expect(book.request(slot('w1', 'a'))).toEqual([slot('w1', 'a')]);
    book.request(slot('w2', 'b'));
    book.request(slot('w2', 'b'));
    expect(book.snapshot().waiting).toEqual([slot('w2', 'b')]);
  });

  it('an ended execution frees its admission, its slots and its place in the queue', () => {
    const book = LimiterBook.empty({ ...limits, maxRunningAgents: 1 });
    book.admit('w1', limits, 1);
    book.request(slot('w1', 'a'));
    book.request(slot('w1', 'b'));
    book.request(slot('w2', 'c'));
    expect(book.ended('w1')).toEqual([slot('w2', 'c')]);
    expect(book.snapshot()).toMatchObject({ running: {}, granted: [slot('w2', 'c')], waiting: [] });
  });

  it('a raised agent limit (a newer API configuration) grants waiters at the next admission', () => {
    const book = LimiterBook.empty({ ...limits, maxRunningAgents: 1 });
    book.request(slot('w1', 'a'));
    book.request(slot('w1', 'b'));
    expect(book.admit('w2', { ...limits, maxRunningAgents: 2 }, 5)).toEqual([slot('w1', 'b')]);
  });

  it('lists as check candidates the slot holders and the admissions older than the grace', () => {
    const book = LimiterBook.empty(limits);
    book.admit('old', limits, 100);
    book.admit('young', limits, 900);
    book.request(slot('holder', 'a'));
    expect(book.admittedBefore(500).sort()).toEqual(['holder', 'old']);
  });

  it('survives a snapshot round trip (continue-as-new)', () => {
    const book = LimiterBook.empty(limits);
    book.admit('w1', limits, 1);
    book.request(slot('w1', 'a'));
    const copy = new LimiterBook(JSON.parse(JSON.stringify(book.snapshot())));
    expect(copy.snapshot()).toEqual(book.snapshot());
    expect(copy.runningCount).toBe(1);
  });
});
