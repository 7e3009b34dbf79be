import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createEngineServices, type EngineServices } from '../../api/services';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { controlTaskQueue } from '../../src/infra/control-task-queue';
import { ensureTemporalCli } from '../../src/infra/tools';
import { engineBundleOptions } from '../../src/infra/worker/workflow-bundle-options';

export interface LocalEngineOptions {
  taskQueue: string;
  /** The runs the engine's worker keeps cached (the control queue's worker keeps 500). */
  maxCachedWorkflows: number;
  /** Run the workflows on this thread (the SDK's debug mode), so that this process's heap and profile see them. */
  inProcess: boolean;
}

/**
 * The engine's services and workers on a dev server of their own, for the bench's probes
 * (scripts/bench/cached-run-memory.ts, scripts/bench/replay-cost.ts): `run` keeps both workers
 * running around `fn`, then stops them and the server.
 */
export const runLocalEngine = async <R>(
  options: LocalEngineOptions,
  fn: (engine: { env: TestWorkflowEnvironment; services: EngineServices }) => Promise<R>,
): Promise<R> => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await ensureTemporalCli(() => undefined);
  if (cli.kind !== 'path') throw new Error('needs the temporal CLI');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: cli.path }, searchAttributes: ALL_SEARCH_ATTRIBUTES },
  });
  try {
    const workflowBundle = await bundleWorkflowCode({
      ...engineBundleOptions(),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    });
    const activities = createActivities({ registry: new WorkspaceRegistry([]), allowPrivateWebhookTargets: true });
    const worker = (taskQueue: string, maxCachedWorkflows: number) =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle,
        activities,
        debugMode: options.inProcess,
        maxCachedWorkflows,
      });
    const main = await worker(options.taskQueue, options.maxCachedWorkflows);
    const control = await worker(controlTaskQueue(options.taskQueue), 500);
    const services = createEngineServices(env.client, options.taskQueue, { secretsKey: undefined, allowPrivateWebhookTargets: true });
    return await main.runUntil(() => control.runUntil(() => fn({ env, services })));
  } finally {
    await env.teardown();
  }
};
