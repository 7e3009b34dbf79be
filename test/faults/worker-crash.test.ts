import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAttempts } from './support/agent-attempts';
import { ProcessStack } from './support/process-stack';
import { driveRun, faultDefinition, problemsOf, sleep, type Run, type Tally } from './support/workload';

const RUNS = 60;
const KILLS = 5;
/** Runs start one by one over the whole crash schedule, so kills land on runs in every phase. */
const DISPATCH_EVERY_MS = 1_000;
/**
 * Once the last worker is up, every run must end within this bound: far below the 30-minute agent
 * ceiling that a lost attempt used to wait for, generous for a loaded machine.
 */
const SETTLE_AFTER_LAST_CRASH_MS = 4 * 60_000;

let stack: ProcessStack;

beforeAll(async () => {
  stack = await ProcessStack.start();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the worker killed with SIGKILL at random moments (API and worker as separate processes)', () => {
  it(`ends all ${RUNS} runs of agents and humans right, each step completed once`, async () => {
    const started = Date.now();
    const definitionId = 'crash-workload';
    let deadlineAt = Date.now() + 20 * 60_000;
    const deadline = () => deadlineAt;
    const tally: Tally = { transientErrors: {} };
    expect((await stack.caller.post('definitions/create', faultDefinition(definitionId))).status).toBe(200);

    const runs: Run[] = Array.from({ length: RUNS }, (_, index) => ({
      index,
      decision: index % 3 === 0 ? 'reject' : 'approve',
      decisionCalls: 0,
    }));
    const driving = runs.map(async (run) => {
      await sleep(run.index * DISPATCH_EVERY_MS);
      await driveRun(stack.caller, definitionId, run, tally, deadline);
    });

    for (let kill = 1; kill <= KILLS; kill += 1) {
      await sleep(3_000 + Math.random() * 7_000);
      await stack.killWorker();
      await sleep(Math.random() * 2_000);
      await stack.startWorker();
    }
    stack.note('last crash over; every run must now end');
    deadlineAt = Date.now() + SETTLE_AFTER_LAST_CRASH_MS;
    await Promise.all(driving);

    const problems = runs.flatMap(problemsOf);
    const attempts = await agentAttempts(
      stack.address,
      stack.workspaceId,
      runs.flatMap((run) => (run.executionId ? [run.executionId] : [])),
    );
    console.log(
      `[faults] ${RUNS} runs, ${KILLS} worker kills, ${Math.round((Date.now() - started) / 1000)}s; ` +
        `agent attempts lost and retried: ${attempts.retried} ${JSON.stringify(attempts.lastFailures)}; ` +
        `decisions needing more than one call: ${runs.filter((run) => run.decisionCalls > 1).length}; ` +
        `transient API errors: ${JSON.stringify(tally.transientErrors)}`,
    );
    expect(problems, `${problems.join('\n')}\n--- recent process output ---\n${stack.recentLogs()}`).toEqual([]);
  });
});
