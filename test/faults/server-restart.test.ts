import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessStack } from './support/process-stack';
import { driveRun, faultDefinition, problemsOf, sleep, type Run, type Tally } from './support/workload';

const RUNS = 50;
const RESTARTS = 2;
const DISPATCH_EVERY_MS = 800;
/** Once the server is back for good, every run must end within this bound (generous under load). */
const SETTLE_AFTER_LAST_RESTART_MS = 4 * 60_000;

let stack: ProcessStack;

beforeAll(async () => {
  stack = await ProcessStack.start();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the dev server killed with SIGKILL and restarted on its SQLite file (API and worker keep running)', () => {
  it(`ends all ${RUNS} runs of agents and humans right, each step completed once`, async () => {
    const started = Date.now();
    const definitionId = 'restart-workload';
    let deadlineAt = Date.now() + 20 * 60_000;
    const tally: Tally = { transientErrors: {} };
    expect((await stack.caller.post('definitions/create', faultDefinition(definitionId))).status).toBe(200);

    const runs: Run[] = Array.from({ length: RUNS }, (_, index) => ({
      index,
      decision: index % 3 === 0 ? 'reject' : 'approve',
      decisionCalls: 0,
    }));
    const driving = runs.map(async (run) => {
      await sleep(run.index * DISPATCH_EVERY_MS);
      await driveRun(stack.caller, definitionId, run, tally, () => deadlineAt);
    });

    for (let restart = 1; restart <= RESTARTS; restart += 1) {
      await sleep(5_000 + Math.random() * 10_000);
      await stack.killServer();
      await sleep(Math.random() * 2_000);
      await stack.startServer();
    }
    stack.note('last restart over; every run must now end');
    deadlineAt = Date.now() + SETTLE_AFTER_LAST_RESTART_MS;
    await Promise.all(driving);

    const problems = runs.flatMap(problemsOf);
    console.log(
      `[faults] ${RUNS} runs, ${RESTARTS} dev server restarts, ${Math.round((Date.now() - started) / 1000)}s; ` +
        `worker restarts needed: ${stack.workerStarts - 1}; ` +
        `decisions needing more than one call: ${runs.filter((run) => run.decisionCalls > 1).length}; ` +
        `transient API errors: ${JSON.stringify(tally.transientErrors)}`,
    );
    expect(problems, `${problems.join('\n')}\n--- recent process output ---\n${stack.recentLogs()}`).toEqual([]);
  });
});
