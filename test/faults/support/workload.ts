import { expect } from 'vitest';
import { approveGate, human, mockAgent, reviewersOf } from '../../fixtures/execution-definitions';
import { TERMINAL_EXECUTION, type EventWire, type ExecutionWire } from '../../support/rest-api';
import type { ApiResponse, Caller } from '../../support/engine';
import type { ProcessStack } from './process-stack';

/**
 * The operator's workload of issue 11: agent(400 ms) → human → agent(300 ms) → agent(200 ms), with
 * a rejection routed to a 200 ms rework agent. Every agent is the `__mock__` agent with `delayMs`.
 */
export const faultDefinition = (definitionId: string) => ({
  definitionId,
  name: 'Crash workload',
  nodes: [
    mockAgent('draft', { delayMs: 400 }),
    human('review', [reviewersOf.mandatory('u_editor')], { routeToNodeId: 'rework' }),
    mockAgent('publish', { delayMs: 300 }),
    mockAgent('finalize', { delayMs: 200 }),
    mockAgent('rework', { delayMs: 200 }),
  ],
  edges: [
    { from: 'draft', to: 'review' },
    { from: 'review', to: 'publish', when: approveGate },
    { from: 'publish', to: 'finalize' },
  ],
});

/** The nodes a run must have completed, once each, for its decision. */
const EXPECTED_NODES = { approve: ['draft', 'review', 'publish', 'finalize'], reject: ['draft', 'review', 'rework'] } as const;

export type Decision = keyof typeof EXPECTED_NODES;

export interface Run {
  index: number;
  decision: Decision;
  executionId?: string;
  /** Calls it took to get the decision recorded (a call can fail while the worker is down). */
  decisionCalls: number;
  final?: ExecutionWire;
  events?: EventWire[];
  /** Why driving it stopped before it ended (the deadline passed), with its last view. */
  unfinished?: string;
}

export interface Tally {
  /** API answers other than 200, by status, seen while driving the runs (expected during crashes). */
  transientErrors: Record<string, number>;
}

/** Read on every check, so a test can tighten it once the crashes are over. */
export type Deadline = () => number;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers no crash explains: retrying them would only hide a broken test or engine. */
const NEVER_TRANSIENT = new Set(['INVALID_ARGUMENT', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'ALREADY_EXISTS']);

/**
 * Calls until the API answers 200. A worker or server that is down makes calls fail or time out for
 * a while; every call here is safe to repeat (dispatch carries an idempotency key, a repeated
 * decision answers `recorded: false`). A decision sent while the agent result that created its step
 * is still in a pending workflow task can be refused NOT_FOUND although a read showed the step: a
 * race of the engine's own (issue 11's race list), retried here like the crashes' errors.
 */
const untilOk = async (tally: Tally, call: () => Promise<ApiResponse>, deadline: Deadline): Promise<any> => {
  for (;;) {
    let outcome: string;
    let answer: string;
    try {
      const response = await call();
      if (response.status === 200) return response.body.result;
      outcome = String(response.body?.error?.status ?? response.status);
      answer = JSON.stringify(response.body);
    } catch (error) {
      outcome = `fetch ${(error as Error).message}`;
      answer = outcome;
    }
    if (NEVER_TRANSIENT.has(outcome)) throw new Error(`refused for good: ${answer}`);
    tally.transientErrors[outcome] = (tally.transientErrors[outcome] ?? 0) + 1;
    if (Date.now() > deadline()) throw new Error(`no 200 before the deadline; last answer: ${answer}`);
    await sleep(500);
  }
};

/** Dispatches one run, decides its human step when it waits, and follows it until it ends. */
export const driveRun = async (caller: Caller, definitionId: string, run: Run, tally: Tally, deadline: Deadline): Promise<void> => {
  try {
    await drive(caller, definitionId, run, tally, deadline);
  } catch (error) {
    run.unfinished = (error as Error).message;
  }
};

const drive = async (caller: Caller, definitionId: string, run: Run, tally: Tally, deadline: Deadline): Promise<void> => {
  const dispatched = await untilOk(
    tally,
    () => caller.post('executions/dispatch', { definitionId, idempotencyKey: `fault-run-${run.index}` }),
    deadline,
  );
  run.executionId = dispatched.executionId as string;
  let decided = false;
  for (;;) {
    const view = (await untilOk(tally, () => caller.post('executions/get', { executionId: run.executionId }), deadline)) as ExecutionWire;
    if (TERMINAL_EXECUTION.includes(view.status)) {
      run.final = view;
      break;
    }
    const review = view.steps.find((step) => step.nodeId === 'review' && step.status === 'waiting');
    if (review && !decided) {
      // A human takes a moment: the decision lands at a random point of the crash schedule.
      await sleep(Math.random() * 1_500);
      await untilOk(
        tally,
        () => {
          run.decisionCalls += 1;
          return caller.post('steps/recordReviewerDecision', {
            executionId: run.executionId,
            stepId: review.stepId,
            reviewerId: 'u_editor',
            decision: run.decision,
          });
        },
        deadline,
      );
      decided = true;
    }
    if (Date.now() > deadline()) {
      run.unfinished = `still ${view.status} at the deadline: ${view.steps.map((step) => `${step.nodeId}:${step.status}`).join(', ')}`;
      return;
    }
    await sleep(500 + Math.random() * 500);
  }
  run.events = await allEventsOf(caller, run.executionId, tally, deadline);
};

const allEventsOf = async (caller: Caller, executionId: string, tally: Tally, deadline: Deadline): Promise<EventWire[]> => {
  const events: EventWire[] = [];
  let sinceSeq = 0;
  for (;;) {
    const page = await untilOk(tally, () => caller.post('executions/getEvents', { executionId, sinceSeq, pageSize: 500 }), deadline);
    events.push(...(page.events as EventWire[]));
    if (!page.hasMore) return events;
    sinceSeq = page.nextCursor as number;
  }
};

/** Everything wrong with one finished run, as readable lines (empty when the run is right). */
export const problemsOf = (run: Run): string[] => {
  const label = `run ${run.index} (${run.executionId ?? 'not dispatched'}, ${run.decision})`;
  const view = run.final;
  const events = run.events;
  if (!view || !events) return [`${label}: ${run.unfinished ?? 'did not finish'}`];
  const problems: string[] = [];
  if (view.status !== 'completed') problems.push(`${label}: status ${view.status}, failure ${JSON.stringify(view.failureReason)}`);
  const expected: readonly string[] = EXPECTED_NODES[run.decision];
  const nodes = view.steps.map((step) => step.nodeId);
  if ([...nodes].sort().join() !== [...expected].sort().join())
    problems.push(`${label}: steps ${nodes.join(', ')}, expected ${expected.join(', ')}`);
  for (const step of view.steps) {
    if (step.status !== 'completed') problems.push(`${label}: step ${step.nodeId} is ${step.status}`);
    const completions = events.filter((event) => event.type === 'step.completed' && event.stepId === step.stepId).length;
    if (completions !== 1) problems.push(`${label}: step ${step.nodeId} completed ${completions} times in the event stream`);
  }
  const review = view.steps.find((step) => step.nodeId === 'review');
  if (review?.output.decision !== run.decision) problems.push(`${label}: review decided ${String(review?.output.decision)}`);
  if (review && review.output.totalResponses !== 1)
    problems.push(`${label}: review recorded ${String(review.output.totalResponses)} responses`);
  for (let i = 1; i < events.length; i += 1) {
    if (events[i]!.seq <= events[i - 1]!.seq) problems.push(`${label}: seq ${events[i]!.seq} after ${events[i - 1]!.seq}`);
  }
  if (new Set(events.map((event) => event.eventId)).size !== events.length) problems.push(`${label}: duplicate event ids`);
  const ends = events.filter((event) => event.type === 'execution.completed').length;
  if (ends !== 1) problems.push(`${label}: ${ends} execution.completed events`);
  return problems;
};

/** `times` times: a random pause within `pauseMs` (from, to), the kill, up to 2 s down, the restart. */
export const repeatFault = async (
  times: number,
  pauseMs: readonly [number, number],
  fault: { kill: () => Promise<void>; restart: () => Promise<void> },
): Promise<void> => {
  for (let round = 1; round <= times; round += 1) {
    await sleep(pauseMs[0] + Math.random() * (pauseMs[1] - pauseMs[0]));
    await fault.kill();
    await sleep(Math.random() * 2_000);
    await fault.restart();
  }
};

export interface FaultSchedule {
  definitionId: string;
  runs: number;
  /** Runs start one by one this far apart, over the whole fault schedule, so faults land on runs in every phase. */
  dispatchEveryMs: number;
  /** Kills and restarts processes while the runs are driven; resolves when the last fault is over. */
  faults: () => Promise<void>;
  /** Once the last fault is over, every run must end within this bound. */
  settleMs: number;
}

export interface WorkloadOutcome {
  runs: Run[];
  tally: Tally;
  /** Everything wrong with any run (empty when every run ended right). */
  problems: string[];
}

/**
 * The workload through a fault schedule: creates the definition, drives `runs` runs of it (every
 * third rejected) while `faults` runs, then gives them `settleMs` to end and checks each one.
 */
export const runWorkloadThrough = async (stack: ProcessStack, schedule: FaultSchedule): Promise<WorkloadOutcome> => {
  let deadlineAt = Date.now() + 20 * 60_000;
  const deadline = () => deadlineAt;
  const tally: Tally = { transientErrors: {} };
  expect((await stack.caller.post('definitions/create', faultDefinition(schedule.definitionId))).status).toBe(200);

  const runs: Run[] = Array.from({ length: schedule.runs }, (_, index) => ({
    index,
    decision: index % 3 === 0 ? 'reject' : 'approve',
    decisionCalls: 0,
  }));
  const driving = runs.map(async (run) => {
    await sleep(run.index * schedule.dispatchEveryMs);
    await driveRun(stack.caller, schedule.definitionId, run, tally, deadline);
  });

  await schedule.faults();
  stack.note('last fault over; every run must now end');
  deadlineAt = Date.now() + schedule.settleMs;
  await Promise.all(driving);
  return { runs, tally, problems: runs.flatMap(problemsOf) };
};
