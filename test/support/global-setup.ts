import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { dataDir, ensureTemporalCli, ensureTestServer } from '../../src/infra/tools';
import { engineBundleOptions } from '../../src/infra/worker/workflow-bundle-options';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    testServerPath: string;
    workflowBundlePath: string;
  }
}

/** History length at which the test server suggests continue-as-new. */
export const CONTINUE_AS_NEW_SUGGESTED_AT = 150;

const log = (message: string): void => console.log(`[test-setup] ${message}`);

/** One real dev server and one workflow bundle for the whole run; each test file uses its own task queue. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [cli, testServer] = await Promise.all([ensureTemporalCli(log), ensureTestServer(log)]);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.kind === 'path' ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      ip: '127.0.0.1',
      ui: false,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
      // Long runs continue as new well before production's 4K events, so the suite exercises it.
      extraArgs: ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${CONTINUE_AS_NEW_SUGGESTED_AT}`],
    },
  });
  const { code } = await bundleWorkflowCode({ ...engineBundleOptions(), logger: quietLogger });
  const bundleDir = path.join(dataDir(), 'test');
  mkdirSync(bundleDir, { recursive: true });
  const workflowBundlePath = path.join(bundleDir, `workflows-bundle-${process.pid}.js`);
  writeFileSync(workflowBundlePath, code);

  project.provide('temporalAddress', env.address);
  project.provide('testServerPath', testServer.kind === 'path' ? testServer.path : '');
  project.provide('workflowBundlePath', workflowBundlePath);
  return async () => {
    await env.teardown();
  };
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
