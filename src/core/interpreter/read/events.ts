import { eventId } from '../ids';
import type { EventRecord, ExecutionState } from '../state';

/** External types (docs/events.md, "External event types"). */
export const EXTERNAL_EVENT_TYPES = [
  'execution.dispatched',
  'execution.completed',
  'execution.failed',
  'execution.cancelled',
  'step.awaiting-approval',
  'step.completed',
  'step.failed',
  'step.breached',
  'step.cancelled',
  'group.quorum-met',
  'loop.iteration-started',
  'loop.exhausted',
] as const;

/** Internal-only types: they take a seq but are never delivered or returned by getEvents. */
export const INTERNAL_EVENT_TYPES = [
  'step.scheduled',
  'step.started',
  'step.retried',
  'step.resumed',
  'step.response-recorded',
  'step.overridden',
  'parallel-group.completed',
  'idempotency.suppressed',
] as const;

export type ExternalEventType = (typeof EXTERNAL_EVENT_TYPES)[number];
export type InternalEventType = (typeof INTERNAL_EVENT_TYPES)[number];
export type EventType = ExternalEventType | InternalEventType;

const EXTERNAL: ReadonlySet<string> = new Set(EXTERNAL_EVENT_TYPES);

export const isExternalEvent = (event: EventRecord): boolean => EXTERNAL.has(event.type);

/** `ApprovalEventView` (docs/events.md, "Reading events"); also the `DeliverableEvent` handed to webhook delivery. */
export interface ApprovalEventView {
  eventId: string;
  seq: number;
  type: string;
  stepId: string | null;
  timestamp: number;
  correlationId: string;
  data: Record<string, unknown> | null;
}

export const toEventView = (state: ExecutionState, event: EventRecord): ApprovalEventView => ({
  eventId: eventId(state.executionId, event.seq),
  seq: event.seq,
  type: event.type,
  stepId: event.stepId,
  timestamp: event.at,
  correlationId: state.correlationId,
  data: event.data,
});

/** External events with `seq > sinceSeq`, oldest first: what the workflow delivers as webhooks. */
export const externalEventsSince = (state: ExecutionState, sinceSeq: number): ApprovalEventView[] =>
  state.events.filter((e) => e.seq > sinceSeq && isExternalEvent(e)).map((e) => toEventView(state, e));
