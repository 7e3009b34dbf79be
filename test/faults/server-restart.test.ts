import { describe, expect, it } from 'vitest';
import { useProcessStack } from './support/process-stack';
import { repeatFault, runWorkloadThrough } from './support/workload';

const RUNS = 50;
const RESTARTS = 2;
const DISPATCH_EVERY_MS = 800;
/** Once the server is back for good, every run must end within this bound (generous under load). */
const SETTLE_AFTER_LAST_RESTART_MS = 4 * 60_000;

const stack = useProcessStack();

describe('the dev server killed with SIGKILL and restarted on its SQLite file (API and worker keep running)', () => {
  it(`ends all ${RUNS} runs of agents and humans right, each step completed once`, async () => {
    const started = Date.now();
    const { runs, tally, problems } = await runWorkloadThrough(stack(), {
      definitionId: 'restart-workload',
      runs: RUNS,
      dispatchEveryMs: DISPATCH_EVERY_MS,
      settleMs: SETTLE_AFTER_LAST_RESTART_MS,
      faults: () => repeatFault(RESTARTS, [5_000, 15_000], { kill: () => stack().killServer(), restart: () => stack().startServer() }),
    });

    console.log(
      `[faults] ${RUNS} runs, ${RESTARTS} dev server restarts, ${Math.round((Date.now() - started) / 1000)}s; ` +
        `worker restarts needed: ${stack().workerStarts - 1}; ` +
        `decisions needing more than one call: ${runs.filter((run) => run.decisionCalls > 1).length}; ` +
        `transient API errors: ${JSON.stringify(tally.transientErrors)}`,
    );
    expect(problems, `${problems.join('\n')}\n--- recent process output ---\n${stack().recentLogs()}`).toEqual([]);
  });
});
