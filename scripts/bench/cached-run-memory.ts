/**
 * What one cached run costs the worker's V8 heap (docs/bench.md, "Worker memory"): runs the
 * engine's workflows in this process (the SDK's debug mode, so their heap is this process's heap),
 * parks `--runs` runs of the bench's parked review, and reports the heap retained per run after a
 * full collection. `--snapshot` writes heap snapshots before and after the runs were parked, for a
 * comparison in Chrome's DevTools.
 *
 *   npx tsx scripts/bench/cached-run-memory.ts [--runs 300] [--snapshot]
 */
import vm from 'node:vm';
import v8 from 'node:v8';
import { parseArgs } from 'node:util';
import { canonical } from '../../test/fixtures/canonical-definitions';
import { parkedReviewDefinition } from './definitions';
import { runLocalEngine } from './local-engine';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '300' }, snapshot: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

await runLocalEngine({ taskQueue: 'cached-run-memory', maxCachedWorkflows: runs + 100, inProcess: true }, async ({ services }) => {
  const workspaceId = 'ws_memory';
  await services.definitions.create(workspaceId, canonical(parkedReviewDefinition('parked')));
  const park = async (count: number): Promise<void> => {
    for (let started = 0; started < count; started += 20) {
      const batch = Array.from({ length: Math.min(20, count - started) }, () =>
        services.dispatcher.dispatch(workspaceId, { definitionId: 'parked' }),
      );
      // Reading each run waits for its first task: the run is then in the cache.
      for (const { executionId } of await Promise.all(batch)) await services.executions.get(workspaceId, executionId);
    }
  };
  await park(20);
  const before = heapAfterGc();
  if (values.snapshot) console.log(`heap snapshot before: ${v8.writeHeapSnapshot()}`);
  await park(runs);
  const after = heapAfterGc();
  console.log(`${runs} parked runs cached: ${Math.round((after - before) / runs / 1024)} KiB of V8 heap per run`);
  if (values.snapshot) console.log(`heap snapshot after: ${v8.writeHeapSnapshot()}`);
});
