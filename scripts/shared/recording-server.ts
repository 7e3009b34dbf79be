import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { ensureTemporalCli } from '../../src/infra/tools';
import { controlTaskQueue } from '../../src/infra/control-task-queue';
import { engineBundleOptions } from '../../src/infra/worker/workflow-bundle-options';

export interface RecordingServer {
  env: TestWorkflowEnvironment;
  /** The temporal CLI, which prints a workflow's history. */
  cliPath: string;
}

/** A dev server of the temporal CLI with the engine's search attributes, for recording histories. */
export const startRecordingServer = async (extraArgs: string[] = []): Promise<RecordingServer> => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await ensureTemporalCli((message) => console.log(message));
  if (cli.kind !== 'path') throw new Error('recording needs the temporal CLI');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cli.path },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      ...(extraArgs.length > 0 ? { extraArgs } : {}),
    },
  });
  return { env, cliPath: cli.path };
};

/** The engine's activities for a recording worker: no workspace registered (only `__mock__` agents run), private targets allowed. */
export const recordingActivities = () => createActivities({ registry: new WorkspaceRegistry([]), allowPrivateWebhookTargets: true });

export interface RecordingWorkers {
  runUntil: <R>(fn: () => Promise<R>) => Promise<R>;
}

/**
 * Workers of the engine's workflows and activities on `taskQueue` of the recording server and on its
 * control queue (docs/operations.md, "Task queues"), with the bundle the engine's workers use.
 */
export const createRecordingWorkers = async ({ env }: RecordingServer, taskQueue: string): Promise<RecordingWorkers> => {
  const workflowBundle = await bundleWorkflowCode(engineBundleOptions());
  const create = (queue: string) =>
    Worker.create({ connection: env.nativeConnection, taskQueue: queue, workflowBundle, activities: recordingActivities() });
  const main = await create(taskQueue);
  const control = await create(controlTaskQueue(taskQueue));
  return { runUntil: (fn) => main.runUntil(() => control.runUntil(fn)) };
};

/**
 * A workflow's history as the CLI prints it: canonical proto3 JSON, exactly what the SDK's
 * historyFromJSON reads back; ends with a newline.
 */
export const showHistory = ({ cliPath, env }: RecordingServer, workflowId: string, runId?: string): { json: string; events: number } => {
  const args = ['workflow', 'show', '--address', env.address, '--workflow-id', workflowId, '--output', 'json'];
  const json = execFileSync(cliPath, runId ? [...args, '--run-id', runId] : args, { encoding: 'utf8' });
  const events = (JSON.parse(json) as { events: unknown[] }).events.length;
  return { json: json.endsWith('\n') ? json : `${json}\n`, events };
};
