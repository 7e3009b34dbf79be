import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { workspaceIdFor } from '../../src/infra/auth/workspace-registry';
import { startProcess, type ManagedProcess } from '../../src/infra/cluster/managed-process';
import { freePort } from '../../src/infra/net/free-port';
import { AesGcmPayloadCodec } from '../../src/infra/payload-codec/aes-gcm-codec';
import { payloadKeysField } from '../../src/infra/payload-codec/payload-keys';
import { PROJECT_ROOT, dataDir } from '../../src/infra/tools';
import { callerFor, TEST_SECRETS_KEY, type EngineOptions, type RunningEngine } from './engine';
import { testConnectionOptions, testTemporalSettings } from './temporal-connection';
import { testWorkspaces } from './test-workspaces';
import { uniqueTaskQueue } from './unique';
import { DEFAULT_WORKER_HEAP_MIB, workerHeapArgs } from '../../src/infra/worker/worker-heap';

const { temporal } = proto;

const WORKERS = 2;
const APIS = 2;
// A worker bundles the workflow code at start; several of them on two busy cores take a while.
const START_TIMEOUT_MS = 240_000;

/** Resolves with the URL an API process announces once it listens (it is given PORT=0). */
const listeningUrl = (proc: ManagedProcess, announced: Promise<string>, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${proc.name} did not listen within ${timeoutMs / 1000}s:\n${proc.tail()}`)),
      timeoutMs,
    );
    void announced.then((url) => {
      clearTimeout(timer);
      resolve(url);
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${proc.name} exited (code ${String(code)}) during start:\n${proc.tail()}`));
    });
  });

/** Until `count` distinct workers poll the task queue (each process has its own identity). */
const waitForPollers = async (connection: Connection, taskQueue: string, count: number, workers: ManagedProcess[]): Promise<void> => {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const dead = workers.find((proc) => proc.child.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited during start:\n${dead.tail()}`);
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    if (new Set(pollers.map((poller) => poller.identity)).size >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`fewer than ${count} workers polled ${taskQueue} within ${START_TIMEOUT_MS / 1000}s`);
};

const waitUntilReady = async (baseUrl: string): Promise<void> => {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/readyz`);
    last = await response.text();
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${baseUrl}/readyz did not turn ready within ${START_TIMEOUT_MS / 1000}s: ${last}`);
};

/** The worker's notification settings as the variables it reads (docs/notifications.md). */
const notificationEnv = (settings: EngineOptions['notifications']): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  if (settings?.smtpUrl) env.SMTP_URL = settings.smtpUrl;
  if (settings?.smtpFrom) env.SMTP_FROM = settings.smtpFrom;
  if (settings?.slackBotToken) env.SLACK_BOT_TOKEN = settings.slackBotToken;
  if (settings?.slackApiUrl) env.SLACK_API_URL = settings.slackApiUrl;
  return env;
};

/** A test's workspace limits, worker slots and __mock__ policy, as the processes read them. */
const limitsEnv = (options: EngineOptions): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  if (options.limits?.maxRunningExecutions !== undefined) env.APPROVAL_MAX_RUNNING_EXECUTIONS = String(options.limits.maxRunningExecutions);
  if (options.limits?.maxRunningAgents !== undefined) env.APPROVAL_MAX_RUNNING_AGENTS = String(options.limits.maxRunningAgents);
  if (options.slots?.agents !== undefined) env.APPROVAL_AGENT_SLOTS = String(options.slots.agents);
  if (options.slots?.webhooks !== undefined) env.APPROVAL_WEBHOOK_SLOTS = String(options.slots.webhooks);
  if (options.mockAgent) {
    env.APPROVAL_MOCK_AGENT = options.mockAgent.enabled ? 'on' : 'off';
    env.APPROVAL_MOCK_MAX_DELAY_MS = String(options.mockAgent.maxDelayMs);
  }
  return env;
};

/**
 * The engine as it is deployed: separate worker and API processes (`src/main/worker.ts`,
 * `src/main/api.ts`) configured only through their environment, connecting to the cluster with the
 * client certificate. Callers alternate between the APIs, so a write through one is read through the
 * other.
 */
export const startClusterEngine = async (options: EngineOptions): Promise<RunningEngine> => {
  const taskQueue = uniqueTaskQueue('engine');
  const { a, b, file } = await testWorkspaces(taskQueue.slice(-8), options.agents);
  const dir = path.join(dataDir(), 'test', 'cluster-engines', taskQueue);
  mkdirSync(dir, { recursive: true });
  const workspacesFile = path.join(dir, 'workspaces.json');
  writeFileSync(workspacesFile, file, { mode: 0o600 });
  const payloadKeys = options.payloadKeys ?? inject('clusterPayloadKeys');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...Object.fromEntries(Object.entries(testTemporalSettings()).filter(([, value]) => value !== undefined)),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    APPROVAL_WORKSPACES_FILE: workspacesFile,
    APPROVAL_SECRETS_KEY: TEST_SECRETS_KEY,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: String(options.allowPrivateTargets ?? true),
    PORT: '0',
    LOG_LEVEL: 'info',
    ...(payloadKeys ? { APPROVAL_PAYLOAD_KEYS: payloadKeys } : {}),
    ...(options.operatorToken ? { APPROVAL_OPERATOR_TOKEN: options.operatorToken } : {}),
    ...(options.codecCorsOrigins ? { APPROVAL_CODEC_CORS_ORIGINS: options.codecCorsOrigins.join(',') } : {}),
    ...(options.ui ? { APPROVAL_REVIEWER_LINKS: 'true' } : {}),
    ...(options.ui?.linkLifetimeMs ? { APPROVAL_REVIEW_LINK_TTL_SECONDS: String(Math.ceil(options.ui.linkLifetimeMs / 1000)) } : {}),
    ...(options.ui?.sessionTtlMs ? { APPROVAL_UI_SESSION_TTL_SECONDS: String(Math.ceil(options.ui.sessionTtlMs / 1000)) } : {}),
    ...notificationEnv(options.notifications),
    ...limitsEnv(options),
  };
  // The first API's port is fixed up front: every process gets APPROVAL_PUBLIC_URL, as in a deployment
  // (workers build webhook-node callback URLs and reviewer links from it, APIs the step views' links).
  const firstApiPort = await freePort();
  env.APPROVAL_PUBLIC_URL = `http://127.0.0.1:${firstApiPort}`;
  const spawn = (role: 'worker' | 'api', index: number): { proc: ManagedProcess; announced: Promise<string> } => {
    const name = `${role}-${index + 1}`;
    const log = createWriteStream(path.join(dir, `${name}.log`));
    let announce: (url: string) => void = () => undefined;
    const announced = new Promise<string>((resolve) => {
      announce = resolve;
    });
    // Workers get the heap limit the engine's launchers give them (docs/operations.md, "Worker memory").
    const heap = role === 'worker' ? workerHeapArgs(DEFAULT_WORKER_HEAP_MIB, process.env.NODE_OPTIONS) : [];
    const proc = startProcess(name, process.execPath, [...heap, '--import', 'tsx', path.join(PROJECT_ROOT, `src/main/${role}.ts`)], {
      env: role === 'api' && index === 0 ? { ...env, PORT: String(firstApiPort) } : env,
      cwd: PROJECT_ROOT,
      onLine: (line) => {
        log.write(`${line}\n`);
        const url = /API listening on (http:\/\/[\d.]+:\d+)/.exec(line)?.[1];
        if (url) announce(url);
      },
    });
    return { proc, announced };
  };
  // The APIs first: a worker that runs a webhook node before its API listens would hand out a dead callback URL.
  const apis = Array.from({ length: APIS }, (_, index) => spawn('api', index));
  const processes = apis.map((api) => api.proc);
  const workers: ManagedProcess[] = [];
  const connection = await Connection.connect(testConnectionOptions());
  const stopAll = async (): Promise<void> => {
    await Promise.all(processes.map((proc) => proc.stop('SIGTERM', 15_000)));
    await connection.close();
  };
  let baseUrls: string[];
  try {
    baseUrls = await Promise.all(apis.map(({ proc, announced }) => listeningUrl(proc, announced, START_TIMEOUT_MS)));
    for (let index = 0; index < WORKERS; index += 1) workers.push(spawn('worker', index).proc);
    processes.push(...workers);
    await waitForPollers(connection, taskQueue, WORKERS, workers);
    // Each API's own readiness check (its mTLS connection) must see the workers too.
    await Promise.all(baseUrls.map((url) => waitUntilReady(url)));
  } catch (error) {
    await stopAll();
    throw error;
  }
  let requests = 0;
  const nextBaseUrl = (): string => baseUrls[requests++ % baseUrls.length]!;
  const keys = payloadKeys ? payloadKeysField.parse(payloadKeys) : undefined;
  const dataConverter: DataConverter = keys ? { payloadCodecs: [new AesGcmPayloadCodec(keys)] } : {};
  const client = new Client({ connection, dataConverter });
  return {
    baseUrl: baseUrls[0]!,
    baseUrls,
    taskQueue,
    client,
    dataConverter,
    admin: callerFor(nextBaseUrl, a.admin),
    member: callerFor(nextBaseUrl, a.member),
    otherWorkspace: callerFor(nextBaseUrl, b),
    as: (credentials) => callerFor(nextBaseUrl, credentials),
    workspaceIdA: workspaceIdFor(a.admin.apiKey),
    close: async () => {
      await stopAll();
      // The process logs stay for a failure's post-mortem; the next run's setup clears them.
      rmSync(workspacesFile, { force: true });
    },
  };
};
