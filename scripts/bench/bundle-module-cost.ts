/**
 * What a new or replayed workflow pays to evaluate the workflow bundle's modules (docs/bench.md,
 * "Worker memory"): builds the bundle with the engine's options and with the SDK's defaults, then
 * times `__TEMPORAL__.importWorkflows()` in a fresh module scope, the way the SDK's reusable context
 * does it for each workflow, in a `node:vm` context of its own.
 *
 *   npx tsx scripts/bench/bundle-module-cost.ts [--rounds 200]
 */
import vm from 'node:vm';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { engineBundleOptions } from '../../src/infra/worker/workflow-bundle-options';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const WARM_UP = 20;
const noop = (): void => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

const measure = (code: string): { msPerWorkflow: number; modulesPerWorkflow: number; re2js: boolean } => {
  const context = vm.createContext({});
  vm.runInContext('globalThis.__webpack_module_cache__ = {}', context);
  vm.runInContext(code, context);
  const cache = (): Record<string, unknown> => vm.runInContext('__webpack_module_cache__', context) as Record<string, unknown>;
  // Modules loaded while the bundle itself is evaluated are shared by every workflow; the rest are per workflow.
  const shared = new Set(Object.keys(cache()));
  let total = 0;
  let perWorkflow: string[] = [];
  for (let round = 0; round < WARM_UP + rounds; round += 1) {
    for (const id of Object.keys(cache())) if (!shared.has(id)) delete cache()[id];
    const started = performance.now();
    vm.runInContext('__TEMPORAL__.importWorkflows()', context);
    if (round >= WARM_UP) total += performance.now() - started;
    perWorkflow = Object.keys(cache()).filter((id) => !shared.has(id));
  }
  return {
    msPerWorkflow: Math.round((total / rounds) * 1000) / 1000,
    modulesPerWorkflow: perWorkflow.length,
    re2js: perWorkflow.some((id) => id.includes('re2js/')),
  };
};

const engine = await bundleWorkflowCode({ ...engineBundleOptions(), logger: quiet });
const sdkDefaults = await bundleWorkflowCode({ workflowsPath: engineBundleOptions().workflowsPath, logger: quiet });
console.log('engine options:', JSON.stringify(measure(engine.code)));
console.log('SDK defaults:  ', JSON.stringify(measure(sdkDefaults.code)));
