/**
 * What a decision costs when its run is no longer cached (docs/bench.md, "Decisions on runs out of
 * the cache"): parks `--runs` runs of the bench's parked review on a dev server of its own, then sends
 * `--decisions` decisions round robin over them, straight to the workflows, with a worker cache of
 * `--cache` runs. With a cache smaller than `--runs` every decision replays its run first (and the
 * run's history grows by one decision per round); with a larger one none does. Prints the p50 and
 * mean latency. `--in-process` runs the workflows on this thread (the SDK's debug mode), so that
 * `--cpu-prof` sees them.
 *
 *   npx tsx scripts/bench/replay-cost.ts [--runs 40] [--decisions 300] [--cache 2]
 *   node --cpu-prof --cpu-prof-dir .data/profile --import tsx scripts/bench/replay-cost.ts --in-process
 */
import { parseArgs } from 'node:util';
import { executionWorkflowId, recordReviewerDecisionUpdate } from '../../src/contracts/execution-messages';
import { canonical } from '../../test/fixtures/canonical-definitions';
import { PARK_REVIEWERS, parkedReviewDefinition } from './definitions';
import { runLocalEngine } from './local-engine';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '40' },
    decisions: { type: 'string', default: '300' },
    cache: { type: 'string', default: '2' },
    'in-process': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const decisions = Math.min(Number(values.decisions), runs * (PARK_REVIEWERS.length - 1));

await runLocalEngine(
  { taskQueue: 'replay-cost', maxCachedWorkflows: Number(values.cache), inProcess: values['in-process'] },
  async ({ env, services }) => {
    const workspaceId = 'ws_replay';
    await services.definitions.create(workspaceId, canonical(parkedReviewDefinition('parked')));
    const parked: { executionId: string; stepId: string }[] = [];
    for (let index = 0; index < runs; index += 1) {
      const { executionId } = await services.dispatcher.dispatch(workspaceId, { definitionId: 'parked' });
      const view = await services.executions.get(workspaceId, executionId);
      const step = view.steps.find((candidate) => candidate.nodeId === 'human-review');
      if (!step) throw new Error(`${executionId} has no review step`);
      parked.push({ executionId, stepId: step.stepId });
    }
    const times: number[] = [];
    for (let index = 0; index < decisions; index += 1) {
      const run = parked[index % runs]!;
      const reviewerId = PARK_REVIEWERS[Math.floor(index / runs)]!;
      const handle = env.client.workflow.getHandle(executionWorkflowId(workspaceId, run.executionId));
      const started = performance.now();
      await handle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId: run.stepId, reviewerId, decision: 'approve' }] });
      times.push(performance.now() - started);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const mean = times.reduce((sum, time) => sum + time, 0) / times.length;
    console.log(
      `${decisions} decisions over ${runs} runs, cache ${values.cache}: p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, mean ${mean.toFixed(1)} ms`,
    );
  },
);
