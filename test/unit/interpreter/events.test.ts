import { describe, expect, it } from 'vitest';
import { eventsPage, EXTERNAL_EVENT_TYPES, externalEventsSince, INTERNAL_EVENT_TYPES } from '../../../src/core/interpreter';
import { agent, def, edge, human, Run } from './harness';

const busy = () => {
  const run = Run.start(
    def({
      nodes: [
        agent('a'),
        human('h', [
          ['u1', true],
          ['u2', true],
        ]),
        agent('b'),
      ],
      edges: [edge('a', 'b')],
    }),
  );
  run.agentDone('a');
  run.decide('h', 'u1', 'approve');
  run.decide('h', 'u2', 'approve');
  run.runAgents();
  run.apply({ kind: 'idempotencySuppressed' });
  return run;
};

describe('event log', () => {
  it('seq is monotonic and gap-free across internal and external events', () => {
    const run = busy();
    expect(run.state.events.map((e) => e.seq)).toEqual(run.state.events.map((_, i) => i + 1));
    expect(run.state.lastSeq).toBe(run.state.events.length);
    const known = new Set<string>([...EXTERNAL_EVENT_TYPES, ...INTERNAL_EVENT_TYPES]);
    expect(run.state.events.every((e) => known.has(e.type))).toBe(true);
    expect(run.types()).toContain('idempotency.suppressed');
  });

  it('external events have the ApprovalEventView shape; execution-level ones have stepId null', () => {
    const run = busy();
    const views = externalEventsSince(run.state, 0);
    expect(views[0]).toEqual({
      eventId: `evt_${run.state.executionId}_1`,
      seq: 1,
      type: 'execution.dispatched',
      stepId: null,
      timestamp: run.state.startedAt,
      correlationId: 'corr_campaign_42',
      data: expect.any(Object),
    });
    expect(views.filter((v) => v.type.startsWith('step.')).every((v) => v.stepId !== null)).toBe(true);
    expect(views.some((v) => (INTERNAL_EVENT_TYPES as readonly string[]).includes(v.type))).toBe(false);
  });

  it('apply returns exactly the new external events', () => {
    const run = Run.start(def({ nodes: [human('h', [['u', true]])] }));
    const since = run.state.lastSeq;
    run.decide('h', 'u', 'approve');
    expect(externalEventsSince(run.state, since).map((e) => e.type)).toEqual(['step.completed', 'execution.completed']);
  });
});

describe('eventsPage', () => {
  it('filters internal events; nextCursor is the highest seq examined', () => {
    const run = busy();
    const page = eventsPage(run.state, { sinceSeq: 0, pageSize: 100 });
    expect(page.executionId).toBe(run.state.executionId);
    expect(page.events.map((e) => e.type)).toEqual(externalEventsSince(run.state, 0).map((e) => e.type));
    expect(page.nextCursor).toBe(run.state.lastSeq);
    expect(page.hasMore).toBe(false);
  });

  it('pages: nextCursor is the last returned seq while more exist; concatenated pages equal one big page', () => {
    const run = busy();
    const all = eventsPage(run.state, { sinceSeq: 0, pageSize: 500 }).events;
    const collected: number[] = [];
    let cursor = 0;
    for (let i = 0; i < 50; i += 1) {
      const page = eventsPage(run.state, { sinceSeq: cursor, pageSize: 2 });
      collected.push(...page.events.map((e) => e.seq));
      if (page.hasMore) expect(page.nextCursor).toBe(page.events.at(-1)?.seq);
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(collected).toEqual(all.map((e) => e.seq));
    expect(cursor).toBe(run.state.lastSeq);
  });

  it('a cursor past the end returns nothing and keeps the cursor', () => {
    const run = busy();
    expect(eventsPage(run.state, { sinceSeq: 10_000, pageSize: 10 })).toMatchObject({ events: [], nextCursor: 10_000, hasMore: false });
  });

  it('a cursor on an internal event skips to the next external one', () => {
    const run = busy();
    const internal = run.state.events.find((e) => e.type === 'step.scheduled');
    const page = eventsPage(run.state, { sinceSeq: internal?.seq ?? 0, pageSize: 1 });
    expect(page.events[0]?.seq).toBeGreaterThan(internal?.seq ?? 0);
    expect(page.events[0]?.type).not.toBe('step.scheduled');
  });
});
