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
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createEngineServices } from '../../api/services';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { controlTaskQueue } from '../../src/infra/control-task-queue';
import { ensureTemporalCli } from '../../src/infra/tools';
import { engineBundleOptions } from '../../src/infra/worker/workflow-bundle-options';
import { canonical } from '../../test/fixtures/canonical-definitions';
import { parkedReviewDefinition } from './definitions';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '300' }, snapshot: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

Runtime.install({ logger: new DefaultLogger('WARN') });
const cli = await ensureTemporalCli(() => undefined);
if (cli.kind !== 'path') throw new Error('needs the temporal CLI');
const env = await TestWorkflowEnvironment.createLocal({
  server: { executable: { type: 'existing-path', path: cli.path }, searchAttributes: ALL_SEARCH_ATTRIBUTES },
});
try {
  const taskQueue = 'cached-run-memory';
  const workflowBundle = await bundleWorkflowCode({
    ...engineBundleOptions(),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  const activities = createActivities({ registry: new WorkspaceRegistry([]), allowPrivateWebhookTargets: true });
  const worker = (queue: string) =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: queue,
      workflowBundle,
      activities,
      debugMode: true,
      maxCachedWorkflows: runs + 100,
    });
  const main = await worker(taskQueue);
  const control = await worker(controlTaskQueue(taskQueue));
  const services = createEngineServices(env.client, taskQueue, { secretsKey: undefined, allowPrivateWebhookTargets: true });
  await main.runUntil(() =>
    control.runUntil(async () => {
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
    }),
  );
} finally {
  await env.teardown();
}
