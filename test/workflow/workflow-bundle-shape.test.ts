import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { suiteWorkflowBundle } from '../support/workers';

/*
 * Each workflow the worker creates or replays evaluates the bundle's modules in its own scope, so
 * the bundle is built to evaluate little per workflow (src/infra/worker/workflow-bundle-options.ts,
 * docs/bench.md "Worker memory"): its modules concatenated, and re2js loaded only by a workflow that
 * evaluates a regex. The suite's bundle is built with the engine's options, as every worker's is.
 */
const loadBundle = () => {
  const context = vm.createContext({});
  vm.runInContext('globalThis.__webpack_module_cache__ = {}', context);
  vm.runInContext(suiteWorkflowBundle().code, context);
  const cache = (): string[] => Object.keys(vm.runInContext('__webpack_module_cache__', context) as object);
  const loadedAtStart = new Set(cache());
  const workflows = vm.runInContext('__TEMPORAL__.importWorkflows()', context) as Record<string, unknown>;
  return { workflows, perWorkflow: cache().filter((id) => !loadedAtStart.has(id)) };
};

describe("the workflow bundle's per-workflow work", () => {
  it('serves every workflow type from a handful of modules, none of them re2js', () => {
    const { workflows, perWorkflow } = loadBundle();
    expect(Object.keys(workflows)).toEqual(
      expect.arrayContaining(['definitionWorkflow', 'executionWorkflow', 'workspaceLimiterWorkflow', 'dispatchClaimWorkflow']),
    );
    // Before concatenation a workflow evaluated 120 modules; re2js was one of them.
    expect(perWorkflow.length).toBeLessThan(20);
    expect(perWorkflow.filter((id) => id.includes('re2js/'))).toEqual([]);
  });
});
