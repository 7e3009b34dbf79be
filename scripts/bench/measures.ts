/**
 * The four figures of `npm run bench` (docs/bench.md). Each engine figure is taken beside its
 * raw-SDK floor in alternating blocks, so a change in the machine's load hits both alike.
 */
import { readFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import { executionWorkflowId, recordReviewerDecisionUpdate } from '../../src/contracts/execution-messages';
import { cpuPerOperation, cpuSnapshot, type ProcessIds } from './cpu';
import { nodeHttpPost, type RestPost } from './rest-client';
import type { BenchStack } from './stack';
import {
  DECISIONS_PER_PARKED_RUN,
  PARK_REVIEWERS,
  loopDefinition,
  parallelReviewDefinition,
  parkedReviewDefinition,
  walkthroughDefinition,
} from './definitions';

export interface LatencyFigures {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
};

export const latencyFigures = (values: number[]): LatencyFigures => ({
  samples: values.length,
  p50Ms: round(percentile(values, 50)),
  p99Ms: round(percentile(values, 99)),
});

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Quiet time after a P2 round, for its new runs' first workflow tasks (CPU accounting only). */
const ROUND_TAIL_MS = 3_000;

/** CPU of the bench's processes summed over the blocks of one side. */
class CpuTally {
  private readonly totals: Record<string, number> = {};
  private operations = 0;

  async during(pids: ProcessIds, operations: number, block: () => Promise<void>): Promise<void> {
    const before = cpuSnapshot(pids);
    await block();
    const after = cpuSnapshot(pids);
    for (const name of Object.keys(after)) this.totals[name] = (this.totals[name] ?? 0) + after[name]! - (before[name] ?? 0);
    this.operations += operations;
  }

  perOperation(): Record<string, number> {
    return cpuPerOperation({}, this.totals, this.operations);
  }
}

/** Runs `total` calls of `task`, at most `concurrency` at once. */
const pool = async (total: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> => {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) {
      const index = next;
      next += 1;
      await task(index);
    }
  });
  await Promise.all(lanes);
};

/** Resident set size of a process, from /proc (Linux), in MiB: now and its peak. */
export const rssOf = (pid: number): { rssMiB: number; peakRssMiB: number } => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: round(kib('VmRSS') / 1024, 1), peakRssMiB: round(kib('VmHWM') / 1024, 1) };
};

interface ParkedRun {
  executionId: string;
  stepId: string;
  decided: number;
}

interface StepWire {
  stepId: string;
  nodeId: string;
  status: string;
}

/** The engine over its REST API, plus the bench's own bookkeeping of parked runs. */
export class EngineDriver {
  readonly parked: ParkedRun[] = [];
  private readonly parkedDefinition = `bench-park-${Date.now().toString(36)}`;
  private counter = 0;

  constructor(
    private readonly stack: BenchStack,
    private readonly send: RestPost = nodeHttpPost(),
  ) {}

  async post<T = unknown>(operation: string, data: unknown): Promise<T> {
    const { status, text } = await this.send(
      `${this.stack.apiUrl}/v2/workflow/${operation}`,
      { 'content-type': 'application/json', 'x-velt-api-key': this.stack.apiKey, 'x-velt-auth-token': this.stack.authToken },
      JSON.stringify({ data }),
    );
    if (status !== 200) throw new Error(`${operation}: HTTP ${status}: ${text.slice(0, 500)}`);
    return (JSON.parse(text) as { result: T }).result;
  }

  freshId(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${Date.now().toString(36)}-${this.counter}`;
  }

  async setUp(): Promise<void> {
    await this.post('definitions/create', parkedReviewDefinition(this.parkedDefinition));
  }

  /** Starts one parked run (its review step is found later, by `readyParked`). */
  async dispatchParked(): Promise<string> {
    const { executionId } = await this.post<{ executionId: string }>('executions/dispatch', { definitionId: this.parkedDefinition });
    this.parked.push({ executionId, stepId: '', decided: 0 });
    return executionId;
  }

  async view(executionId: string): Promise<{ status: string; steps: StepWire[] }> {
    return this.post('executions/get', { executionId });
  }

  /** Polls until the run has a step of `nodeId` in `status` (the `nth` one, counting from 1). */
  async waitForStep(executionId: string, nodeId: string, status: string, nth = 1, timeoutMs = 120_000): Promise<StepWire> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.view(executionId);
      const steps = view.steps.filter((step) => step.nodeId === nodeId);
      const step = steps[nth - 1];
      if (step && step.status === status) return step;
      if (Date.now() > deadline) throw new Error(`${executionId}: no ${status} ${nodeId} #${nth} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  async waitForStatus(executionId: string, status: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.view(executionId)).status !== status) {
      if (Date.now() > deadline) throw new Error(`${executionId}: not ${status} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** Fills in the review step of every parked run that has none yet. */
  async readyParked(concurrency = 16): Promise<void> {
    const pending = this.parked.filter((run) => run.stepId === '');
    await pool(pending.length, concurrency, async (index) => {
      const run = pending[index]!;
      run.stepId = (await this.waitForStep(run.executionId, 'human-review', 'waiting')).stepId;
    });
  }

  /** One reviewer decision on a parked run that keeps it parked, through REST; resolves with the latency in ms. */
  decideOn(run: ParkedRun): Promise<number> {
    return this.timedDecision(run, (reviewerId) =>
      this.post<{ recorded: boolean; aggregatorStatus: string }>('steps/recordReviewerDecision', {
        executionId: run.executionId,
        stepId: run.stepId,
        reviewerId,
        decision: 'approve',
      }),
    );
  }

  /** The decision `decideOn` sends, straight to the run's workflow through the SDK client (P1's breakdown). */
  decideOnWorkflow(run: ParkedRun): Promise<number> {
    const handle = this.stack.client.workflow.getHandle(this.workflowId(run.executionId));
    return this.timedDecision(run, (reviewerId) =>
      handle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId: run.stepId, reviewerId, decision: 'approve' }] }),
    );
  }

  /** Takes the run's next reviewer, times `send`, and checks the run stayed parked. */
  private async timedDecision(
    run: ParkedRun,
    send: (reviewerId: string) => Promise<{ recorded: boolean; aggregatorStatus: string | null }>,
  ): Promise<number> {
    if (run.decided >= DECISIONS_PER_PARKED_RUN) throw new Error(`${run.executionId} has taken all its decisions`);
    const reviewerId = PARK_REVIEWERS[run.decided]!;
    run.decided += 1;
    const started = performance.now();
    const reply = await send(reviewerId);
    const elapsed = performance.now() - started;
    if (!reply.recorded || reply.aggregatorStatus !== 'pending') throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
    return elapsed;
  }

  /** A parked run that can still take a decision, picked at random (or the newest when `fresh`). */
  pickParked(fresh = false): ParkedRun {
    const open = this.parked.filter((run) => run.stepId !== '' && run.decided < DECISIONS_PER_PARKED_RUN);
    if (open.length === 0) throw new Error('no parked run can take another decision');
    return fresh ? open.at(-1)! : open[Math.floor(Math.random() * open.length)]!;
  }

  workflowId(executionId: string): string {
    return executionWorkflowId(this.stack.workspaceId, executionId);
  }
}

/** The raw floor: the trivial workflow through the SDK client, no API in between. */
class RawDriver {
  private current: { handle: WorkflowHandle; decided: number } | undefined;
  private counter = 0;

  constructor(private readonly stack: BenchStack) {}

  async start(): Promise<WorkflowHandle> {
    this.counter += 1;
    return this.stack.client.workflow.start('rawWorkflow', {
      taskQueue: this.stack.rawTaskQueue,
      workflowId: `bench-raw-${Date.now().toString(36)}-${this.counter}`,
      args: [],
    });
  }

  /** One `executeUpdate`, on a fresh run every DECISIONS_PER_PARKED_RUN calls like the engine's. */
  async decide(): Promise<number> {
    if (!this.current || this.current.decided >= DECISIONS_PER_PARKED_RUN) this.current = { handle: await this.start(), decided: 0 };
    const reviewerId = PARK_REVIEWERS[this.current.decided]!;
    this.current.decided += 1;
    const started = performance.now();
    const reply = await this.current.handle.executeUpdate<{ recorded: boolean }, [{ reviewerId: string; decision: string }]>('rawDecide', {
      args: [{ reviewerId, decision: 'approve' }],
    });
    const elapsed = performance.now() - started;
    if (!reply.recorded) throw new Error('raw update not recorded');
    return elapsed;
  }
}

export interface P1Figures {
  engine: LatencyFigures;
  raw: LatencyFigures;
  /** CPU ms per decision of each process, engine (REST) and raw blocks apart. */
  cpuPerDecisionMs?: { engine: Record<string, number>; raw: Record<string, number> };
  /**
   * The same decision sent straight to the run's workflow with the SDK's `executeUpdate`, no API in
   * between: what the engine's workflow costs over the raw floor, apart from the REST hop.
   */
  workflow?: LatencyFigures;
  ratioP50: number;
  ratioP99: number;
}

/** P1: sequential reviewer decisions via REST vs raw `executeUpdate`, in alternating blocks. */
export const measureDecisionLatency = async (engine: EngineDriver, stack: BenchStack, samples: number): Promise<P1Figures> => {
  const raw = new RawDriver(stack);
  const block = 20;
  const warmup = Math.min(40, samples);
  // Each sample takes two decisions of the engine's runs: one through REST, one straight to the workflow.
  const runsNeeded = Math.ceil((2 * samples + warmup) / DECISIONS_PER_PARKED_RUN) + 1;
  const runs: ParkedRun[] = [];
  for (let index = 0; index < runsNeeded; index += 1) {
    await engine.dispatchParked();
    runs.push(engine.parked.at(-1)!);
  }
  await engine.readyParked();
  let runIndex = 0;
  const nextOpenRun = (): ParkedRun => {
    while (runs[runIndex]!.decided >= DECISIONS_PER_PARKED_RUN) runIndex += 1;
    return runs[runIndex]!;
  };
  const engineDecision = (): Promise<number> => engine.decideOn(nextOpenRun());
  for (let index = 0; index < warmup; index += 1) {
    await raw.decide();
    await engineDecision();
  }
  const workflowDecision = (): Promise<number> => engine.decideOnWorkflow(nextOpenRun());
  const engineTimes: number[] = [];
  const rawTimes: number[] = [];
  const workflowTimes: number[] = [];
  const cpu = { engine: new CpuTally(), raw: new CpuTally() };
  while (engineTimes.length < samples) {
    const size = Math.min(block, samples - engineTimes.length);
    await cpu.raw.during(stack.pids, size, async () => {
      for (let index = 0; index < size; index += 1) rawTimes.push(await raw.decide());
    });
    await cpu.engine.during(stack.pids, size, async () => {
      for (let index = 0; index < size; index += 1) engineTimes.push(await engineDecision());
    });
    for (let index = 0; index < size; index += 1) workflowTimes.push(await workflowDecision());
  }
  const engineFigures = latencyFigures(engineTimes);
  const rawFigures = latencyFigures(rawTimes);
  return {
    engine: engineFigures,
    raw: rawFigures,
    workflow: latencyFigures(workflowTimes),
    cpuPerDecisionMs: { engine: cpu.engine.perOperation(), raw: cpu.raw.perOperation() },
    ratioP50: round(engineFigures.p50Ms / rawFigures.p50Ms, 3),
    ratioP99: round(engineFigures.p99Ms / rawFigures.p99Ms, 3),
  };
};

export interface P2Figures {
  concurrency: number;
  perRound: number;
  rounds: number;
  enginePerSecond: number;
  rawPerSecond: number;
  ratio: number;
  /** CPU ms per start of each process, engine and raw rounds apart (each round's tail of work included). */
  cpuPerStartMs?: { engine: Record<string, number>; raw: Record<string, number> };
  /** Starts that failed (not counted in the throughput). */
  engineFailures: number;
  rawFailures: number;
  firstError?: string;
}

/** P2: dispatches via REST vs raw `workflow.start` at `concurrency` in flight, alternating rounds. */
export const measureDispatchThroughput = async (
  engine: EngineDriver,
  stack: BenchStack,
  options: { concurrency: number; perRound: number; rounds: number },
): Promise<P2Figures> => {
  const raw = new RawDriver(stack);
  const failures = { engine: 0, raw: 0, firstError: undefined as string | undefined };
  /** A failed start is counted, not fatal: under load the engine may refuse some (and that is a finding). */
  const timed = async (side: 'engine' | 'raw', task: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await pool(options.perRound, options.concurrency, async () => {
      try {
        await task();
      } catch (error) {
        failures[side] += 1;
        failures.firstError ??= error instanceof Error ? error.message.slice(0, 300) : String(error);
      }
    });
    return performance.now() - started;
  };
  // A short warm-up of both paths (connections, JIT), not counted.
  await timed('raw', () => raw.start());
  await timed('engine', () => engine.dispatchParked());
  failures.engine = 0;
  failures.raw = 0;
  let engineMs = 0;
  let rawMs = 0;
  const cpu = { engine: new CpuTally(), raw: new CpuTally() };
  for (let round = 0; round < options.rounds; round += 1) {
    // Each tally runs on past its round until the new runs' first workflow tasks are done, so that
    // work is charged to its own side, not to the next round.
    await cpu.raw.during(stack.pids, options.perRound, async () => {
      rawMs += await timed('raw', () => raw.start());
      await sleep(ROUND_TAIL_MS);
    });
    await cpu.engine.during(stack.pids, options.perRound, async () => {
      engineMs += await timed('engine', () => engine.dispatchParked());
      await sleep(ROUND_TAIL_MS);
    });
  }
  const total = options.perRound * options.rounds;
  // Only starts that succeeded count toward throughput.
  const enginePerSecond = round(((total - failures.engine) * 1000) / engineMs, 1);
  const rawPerSecond = round(((total - failures.raw) * 1000) / rawMs, 1);
  return {
    ...options,
    enginePerSecond,
    rawPerSecond,
    ratio: round(enginePerSecond / rawPerSecond, 3),
    cpuPerStartMs: { engine: cpu.engine.perOperation(), raw: cpu.raw.perOperation() },
    engineFailures: failures.engine,
    rawFailures: failures.raw,
    ...(failures.firstError ? { firstError: failures.firstError } : {}),
  };
};

export interface P3Figures {
  walkthrough: number;
  parallelReview: number;
  loop20: number;
}

/** Events in every run of the workflow id (following continue-as-new back to the first run). */
const historyEvents = async (stack: BenchStack, workflowId: string): Promise<number> => {
  let total = 0;
  let runId: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const history = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    total += events.length;
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    if (!runId) break;
  }
  return total;
};

/** P3: history events of one run of the walkthrough, a parallel review and a 20-iteration loop. */
export const measureHistoryEvents = async (engine: EngineDriver, stack: BenchStack): Promise<P3Figures> => {
  const decide = (executionId: string, stepId: string, reviewerId: string, decision: 'approve' | 'reject') =>
    engine.post('steps/recordReviewerDecision', { executionId, stepId, reviewerId, decision });
  const run = async (definition: { definitionId: string }, drive: (executionId: string) => Promise<void>): Promise<number> => {
    await engine.post('definitions/create', definition);
    const { executionId } = await engine.post<{ executionId: string }>('executions/dispatch', { definitionId: definition.definitionId });
    await drive(executionId);
    await engine.waitForStatus(executionId, 'completed');
    return historyEvents(stack, engine.workflowId(executionId));
  };
  const walkthrough = await run(walkthroughDefinition(engine.freshId('bench-walk')), async (executionId) => {
    const step = await engine.waitForStep(executionId, 'human-review', 'waiting');
    await decide(executionId, step.stepId, 'u_editor', 'approve');
  });
  const parallelReview = await run(parallelReviewDefinition(engine.freshId('bench-parallel')), async (executionId) => {
    const legal = await engine.waitForStep(executionId, 'human-legal', 'waiting');
    const brand = await engine.waitForStep(executionId, 'human-brand', 'waiting');
    await decide(executionId, legal.stepId, 'u_legal', 'approve');
    await decide(executionId, brand.stepId, 'u_brand', 'approve');
  });
  const iterations = 20;
  const loop20 = await run(loopDefinition(engine.freshId('bench-loop'), iterations), async (executionId) => {
    for (let iteration = 1; iteration <= iterations; iteration += 1) {
      const step = await engine.waitForStep(executionId, 'human-review', 'waiting', iteration);
      await decide(executionId, step.stepId, 'u_editor', 'reject');
    }
  });
  return { walkthrough, parallelReview, loop20 };
};

export interface P4Point {
  parked: number;
  decision: LatencyFigures;
  rssMiB: number;
  peakRssMiB: number;
  /** Picked runs whose step id, read earlier, the run no longer knew (see measureParked). */
  staleStepIds?: number;
}

/**
 * P4 at one size: tops the parked runs up to `parked` (dispatching at `concurrency`), waits until
 * the worker has parked them all, then takes sequential decisions on runs picked at random and
 * reads the worker's RSS.
 */
export const measureParked = async (
  engine: EngineDriver,
  stack: BenchStack,
  options: { parked: number; decisions: number; concurrency: number; log: (message: string) => void },
): Promise<P4Point> => {
  const missing = Math.max(0, options.parked - engine.parked.length);
  if (missing > 0) options.log(`parking ${missing} more runs (to ${options.parked})`);
  let done = 0;
  let failed = 0;
  // Under load some dispatches time out; they are retried (and counted), up to a bound.
  while (engine.parked.length < options.parked) {
    await pool(options.parked - engine.parked.length, options.concurrency, async () => {
      try {
        await engine.dispatchParked();
        done += 1;
        if (done % 1000 === 0) options.log(`  ${done}/${missing} dispatched`);
      } catch (error) {
        failed += 1;
        if (failed > Math.max(100, missing / 10)) throw error;
      }
    });
  }
  if (failed > 0) options.log(`  ${failed} dispatches failed and were retried`);
  await engine.readyParked();
  // Let the worker settle (its caches, GC) before reading it.
  await sleep(2_000);
  const times: number[] = [];
  let staleStepIds = 0;
  /**
   * A decision on a run picked at random. Under heavy load a run's step id read earlier has been
   * seen to be unknown later (a query answered from a workflow task that did not complete?): such a
   * run is counted, re-read, and another run picked; see docs/bench.md.
   */
  const decideOnAny = async (): Promise<number> => {
    for (;;) {
      const run = engine.pickParked();
      try {
        return await engine.decideOn(run);
      } catch (error) {
        if (!(error instanceof Error && error.message.includes('HTTP 404'))) throw error;
        staleStepIds += 1;
        options.log(`  ${run.executionId}: ${error.message.slice(0, 200)}`);
        if (staleStepIds > 20) throw error;
        run.decided = 0;
        run.stepId = (await engine.waitForStep(run.executionId, 'human-review', 'waiting')).stepId;
      }
    }
  };
  // A few warm-up decisions, not counted.
  for (let index = 0; index < 5; index += 1) await decideOnAny();
  for (let index = 0; index < options.decisions; index += 1) times.push(await decideOnAny());
  return { parked: engine.parked.length, decision: latencyFigures(times), ...rssOf(stack.pids.worker), staleStepIds };
};
