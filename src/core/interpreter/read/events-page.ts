import type { ApprovalEventView } from './events';
import { isExternalEvent, toEventView } from './events';
import type { ExecutionState } from '../state';

export interface EventsPage {
  executionId: string;
  events: ApprovalEventView[];
  nextCursor: number;
  hasMore: boolean;
}

/**
 * getEvents (docs/events.md, "Reading events"): external events with `seq > sinceSeq`, oldest first.
 * `nextCursor` is the highest seq examined, internal events included: the last returned event's
 * seq when the page filled up, otherwise the newest seq of the log (never below `sinceSeq`).
 * `hasMore` says whether external events exist beyond `nextCursor`.
 */
export const eventsPage = (state: ExecutionState, query: { sinceSeq: number; pageSize: number }): EventsPage => {
  const pageSize = Math.max(1, Math.floor(query.pageSize));
  const after = state.events.filter((e) => e.seq > query.sinceSeq && isExternalEvent(e));
  const page = after.slice(0, pageSize);
  const full = after.length > pageSize;
  const last = page[page.length - 1];
  const nextCursor = full && last ? last.seq : Math.max(query.sinceSeq, state.lastSeq);
  return {
    executionId: state.executionId,
    events: page.map((e) => toEventView(state, e)),
    nextCursor,
    hasMore: full,
  };
};
