import { expect } from 'vitest';
import type { ApiResponse, Caller } from './engine';

/*
 * Helpers for end-to-end tests that talk to the REST API: loose wire types, response assertions
 * (`ok`, `expectError`), polling reads (`waitFor*`, `allEvents`) and shortcuts for the calls most
 * tests make (create, dispatch, decide).
 */

/** Loose wire views (docs/api.md, "Runtime views"; docs/events.md, "Reading events"); tests read them as plain JSON. */
export interface StepWire {
  stepId: string;
  nodeId: string;
  nodeType: string;
  status: string;
  groupId: string | null;
  startedAt: number | null;
  completedAt: number | null;
  output: Record<string, any>;
  error: { code: string; message: string } | null;
  input?: Record<string, any>;
}

export interface ExecutionWire {
  executionId: string;
  status: string;
  startedAt: number;
  completedAt: number | null;
  cancelledAt: number | null;
  definitionId: string;
  definitionVersion: number;
  correlationId: string;
  idempotencyKey: string;
  failureReason: { code: string; message: string } | null;
  steps: StepWire[];
}

export interface EventWire {
  eventId: string;
  seq: number;
  type: string;
  stepId: string | null;
  timestamp: number;
  correlationId: string;
  data?: Record<string, any> | null;
}

export const TERMINAL_EXECUTION = ['completed', 'failed', 'cancelled'];
export const TERMINAL_STEP = ['completed', 'failed', 'skipped', 'cancelled', 'breached'];

const POLL_EVERY_MS = 100;
const DEFAULT_TIMEOUT_MS = 20_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const brief = (view: ExecutionWire | undefined): string =>
  view ? `${view.status} [${view.steps.map((step) => `${step.nodeId}:${step.status}`).join(', ')}]` : 'no view';

/** Asserts a 200 and returns `result`. */
export const ok = <T = any>(response: ApiResponse): T => {
  if (response.status !== 200) {
    throw new Error(`expected 200, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.result as T;
};

/** Asserts an error envelope with the given gRPC-style status (and HTTP status) and returns it. */
export const expectError = (
  response: ApiResponse,
  status: string,
  httpStatus?: number,
): { message: string; status: string; details?: any } => {
  expect(response.body?.result, JSON.stringify(response.body)).toBeUndefined();
  expect(response.body?.error?.status, JSON.stringify(response.body)).toBe(status);
  if (httpStatus !== undefined) expect(response.status).toBe(httpStatus);
  expect(typeof response.body.error.message).toBe('string');
  return response.body.error;
};

export const getExecution = async (caller: Caller, executionId: string): Promise<ExecutionWire> =>
  ok<ExecutionWire>(await caller.post('executions/get', { executionId }));

/**
 * Polls `executions/get` every 100 ms until `check` holds (default up to 20 s); fails with the
 * last view otherwise. Never a wall-clock assertion: only a bound on how long to wait.
 */
export const waitForExecution = async (
  caller: Caller,
  executionId: string,
  check: (view: ExecutionWire) => boolean,
  label = 'the expected state',
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<ExecutionWire> => {
  const deadline = Date.now() + timeoutMs;
  let last: ExecutionWire | undefined;
  for (;;) {
    const response = await caller.post('executions/get', { executionId });
    if (response.status === 200) {
      last = response.body.result as ExecutionWire;
      if (check(last)) return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`execution ${executionId} did not reach ${label} within ${timeoutMs} ms; last: ${brief(last)}`);
    }
    await sleep(POLL_EVERY_MS);
  }
};

export const waitForStatus = (caller: Caller, executionId: string, status: string, timeoutMs?: number) =>
  waitForExecution(caller, executionId, (view) => view.status === status, `status ${status}`, timeoutMs);

export const waitForTerminal = (caller: Caller, executionId: string, timeoutMs?: number) =>
  waitForExecution(caller, executionId, (view) => TERMINAL_EXECUTION.includes(view.status), 'a terminal status', timeoutMs);

export const stepsOf = (view: ExecutionWire, nodeId: string): StepWire[] => view.steps.filter((step) => step.nodeId === nodeId);

/** The only step of a node (fails when there is none or more than one). */
export const stepOf = (view: ExecutionWire, nodeId: string): StepWire => {
  const steps = stepsOf(view, nodeId);
  if (steps.length !== 1) throw new Error(`expected one ${nodeId} step, found ${steps.length}: ${brief(view)}`);
  return steps[0]!;
};

/** Waits until the execution has a step of `nodeId` in `status` and returns that step and the view. */
export const waitForStep = async (
  caller: Caller,
  executionId: string,
  nodeId: string,
  status: string,
  timeoutMs?: number,
): Promise<{ step: StepWire; view: ExecutionWire }> => {
  const view = await waitForExecution(
    caller,
    executionId,
    (candidate) => candidate.steps.some((step) => step.nodeId === nodeId && step.status === status),
    `a ${status} ${nodeId} step`,
    timeoutMs,
  );
  const step = view.steps.filter((candidate) => candidate.nodeId === nodeId && candidate.status === status).at(-1)!;
  return { step, view };
};

/** Every external event of the execution, following `nextCursor` page by page. */
export const allEvents = async (caller: Caller, executionId: string, pageSize = 500): Promise<EventWire[]> => {
  const events: EventWire[] = [];
  let sinceSeq = 0;
  for (let page = 0; page < 100; page += 1) {
    const result = ok(await caller.post('executions/getEvents', { executionId, sinceSeq, pageSize }));
    events.push(...result.events);
    if (!result.hasMore) return events;
    sinceSeq = result.nextCursor;
  }
  throw new Error('getEvents did not end within 100 pages');
};

export const eventTypes = (events: EventWire[]): string[] => events.map((event) => event.type);

/** Polls getEvents until `check` holds on the full external event list. */
export const waitForEvents = async (
  caller: Caller,
  executionId: string,
  check: (events: EventWire[]) => boolean,
  label = 'the expected events',
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<EventWire[]> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await allEvents(caller, executionId);
    if (check(events)) return events;
    if (Date.now() > deadline) {
      throw new Error(`execution ${executionId} did not emit ${label} within ${timeoutMs} ms; got ${eventTypes(events).join(', ')}`);
    }
    await sleep(POLL_EVERY_MS);
  }
};

/** Dispatches and returns the dispatch result (asserting a 200). */
export const dispatch = async (
  caller: Caller,
  data: Record<string, unknown>,
): Promise<{ executionId: string; correlationId: string; deduplicated: boolean }> => ok(await caller.post('executions/dispatch', data));

/** Creates a definition (asserting a 200) and returns its view. */
export const createDefinition = async (caller: Caller, definition: unknown): Promise<any> =>
  ok(await caller.post('definitions/create', definition));

/** Records one reviewer's decision (the raw response, so refusals can be asserted). */
export const decide = (
  caller: Caller,
  executionId: string,
  stepId: string,
  reviewerId: string,
  decision: 'approve' | 'reject',
  reason?: string,
): Promise<ApiResponse> =>
  caller.post('steps/recordReviewerDecision', { executionId, stepId, reviewerId, decision, ...(reason ? { reason } : {}) });

/** Creates the definition and dispatches one run of it. */
export const createAndDispatch = async (
  caller: Caller,
  definition: { definitionId: string },
  extra: Record<string, unknown> = {},
): Promise<string> => {
  await createDefinition(caller, definition);
  return (await dispatch(caller, { definitionId: definition.definitionId, ...extra })).executionId;
};

let counter = 0;
/** A fresh definition id per test (`^[a-z0-9][a-z0-9-]{2,63}$`). */
export const freshId = (prefix = 'def'): string =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}-${(counter += 1)}`;
