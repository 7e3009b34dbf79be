import { describe, expect, it } from 'vitest';
import { agentAttempts } from './support/agent-attempts';
import { useProcessStack } from './support/process-stack';
import { repeatFault, runWorkloadThrough } from './support/workload';

const RUNS = 60;
const KILLS = 5;
/** Runs start one by one over the whole crash schedule, so kills land on runs in every phase. */
const DISPATCH_EVERY_MS = 1_000;
/**
 * Once the last worker is up, every run must end within this bound: far below the 30-minute agent
 * ceiling that a lost attempt used to wait for, generous for a loaded machine.
 */
const SETTLE_AFTER_LAST_CRASH_MS = 4 * 60_000;

const stack = useProcessStack();

describe('the worker killed with SIGKILL at random moments (API and worker as separate processes)', () => {
  it(`ends all ${RUNS} runs of agents and humans right, each step completed once`, async () => {
    const started = Date.now();
    const { runs, tally, problems } = await runWorkloadThrough(stack(), {
      definitionId: 'crash-workload',
      runs: RUNS,
      dispatchEveryMs: DISPATCH_EVERY_MS,
      settleMs: SETTLE_AFTER_LAST_CRASH_MS,
      faults: () => repeatFault(KILLS, [3_000, 10_000], { kill: () => stack().killWorker(), restart: () => stack().startWorker() }),
    });

    const attempts = await agentAttempts(
      stack().address,
      stack().workspaceId,
      runs.flatMap((run) => (run.executionId ? [run.executionId] : [])),
    );
    console.log(
      `[faults] ${RUNS} runs, ${KILLS} worker kills, ${Math.round((Date.now() - started) / 1000)}s; ` +
        `agent attempts lost and retried: ${attempts.retried} ${JSON.stringify(attempts.lastFailures)}; ` +
        `decisions needing more than one call: ${runs.filter((run) => run.decisionCalls > 1).length}; ` +
        `transient API errors: ${JSON.stringify(tally.transientErrors)}`,
    );
    expect(problems, `${problems.join('\n')}\n--- recent process output ---\n${stack().recentLogs()}`).toEqual([]);
  });
});
