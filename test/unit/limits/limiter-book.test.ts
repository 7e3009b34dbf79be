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

  it('checks an admission until a check has seen it running, then no more while the workspace has room', () => {
    const roomy = { maxRunningExecutions: 100, maxRunningAgents: 2 };
    const book = LimiterBook.empty(roomy);
    for (let i = 1; i <= 5; i += 1) book.admit(`w${i}`, roomy, i * 100);
    book.request(slot('holder', 'a'));
    expect(book.toCheck(1_000, 50).sort()).toEqual(['holder', 'w1', 'w2', 'w3', 'w4', 'w5']);
    book.seenRunning(['w1', 'w2', 'w3', 'holder']);
    // Slot holders are always asked about; seen admissions are not; unseen ones still are.
    expect(book.toCheck(1_000, 50).sort()).toEqual(['holder', 'w4', 'w5']);
    // A run that ends is forgotten, seen or not.
    book.ended('w4');
    expect(book.toCheck(1_000, 50).sort()).toEqual(['holder', 'w5']);
  });

  it('near its limit, also checks the seen admissions, a bounded number per check, oldest first, in turns', () => {
    const tight = { maxRunningExecutions: 10, maxRunningAgents: 2 };
    const book = LimiterBook.empty(tight);
    const ids = Array.from({ length: 9 }, (_, i) => `w${i + 1}`);
    ids.forEach((id, i) => book.admit(id, tight, (i + 1) * 10));
    book.seenRunning(ids);
    // 9 of 10 is at 90%: seen admissions are checked again, 4 at a time, taking turns.
    expect(book.toCheck(1_000, 4)).toEqual(['w1', 'w2', 'w3', 'w4']);
    expect(book.toCheck(1_000, 4)).toEqual(['w5', 'w6', 'w7', 'w8']);
    expect(book.toCheck(1_000, 4)).toEqual(['w9', 'w1', 'w2', 'w3']);
    // Below 90% they rest again.
    book.ended('w9');
    book.ended('w8');
    expect(book.toCheck(1_000, 4)).toEqual([]);
  });

  it('keeps what its checks have seen across a snapshot, and reads a snapshot from before it kept them', () => {
    const book = LimiterBook.empty(limits);
    book.admit('w1', limits, 1);
    book.seenRunning(['w1']);
    const copy = new LimiterBook(JSON.parse(JSON.stringify(book.snapshot())));
    expect(copy.toCheck(1_000, 10)).toEqual([]);
    // A limiter carried over from before has seen nothing: everything is checked once.
    const older = new LimiterBook({ limits, running: { w1: 1 }, granted: [], waiting: [] });
    expect(older.toCheck(1_000, 10)).toEqual(['w1']);
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
