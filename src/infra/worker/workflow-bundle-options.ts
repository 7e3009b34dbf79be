import { createRequire } from 'node:module';
import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { PROJECT_ROOT } from '../tools/tool-paths';
import { WORKFLOWS_PATH } from './workflows-path';

const LAZY_RE2JS = path.join(PROJECT_ROOT, 'src', 'infra', 'worker', 'lazy-re2js.cjs');

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/**
 * How every bundle of the engine's workflows is built (docs/bench.md, "Worker memory"). Each workflow
 * the worker creates or replays evaluates the bundle's modules again in its own scope, so:
 * - the modules are concatenated into one scope (webpack's scope hoisting), which took that from 120
 *   module evaluations per workflow to 6, and from about 6 ms to under 1 ms;
 * - re2js is loaded by the first regex a workflow evaluates, not by every workflow
 *   (src/infra/worker/lazy-re2js.cjs).
 * A bundle built without these options behaves the same, only slower.
 */
export const engineBundleOptions = (): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> => ({
  workflowsPath: WORKFLOWS_PATH,
  webpackConfigHook: (config: WebpackConfig): WebpackConfig => {
    const resolve = config.resolve ?? {};
    const alias = resolve.alias && !Array.isArray(resolve.alias) ? resolve.alias : {};
    return {
      ...config,
      optimization: { ...config.optimization, concatenateModules: true },
      resolve: {
        ...resolve,
        alias: { ...alias, re2js$: LAZY_RE2JS, 're2js-eager$': createRequire(import.meta.url).resolve('re2js') },
      },
    };
  },
});
