import { afterAll, beforeAll, inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { createEngineServices } from '../../api/services';
import { WorkspaceRegistry, sha256Hex, workspaceIdFor } from '../../src/infra/auth/workspace-registry';
import { parseWorkspacesFile } from '../../src/infra/auth/workspace-registry';
import { checkReadiness } from '../../src/infra/temporal/readiness';
import { createEngineWorker } from '../../src/infra/worker/create-worker';
import { listen } from './http';
import { silentLogger } from './silent-logger';
import { uniqueTaskQueue } from './unique';
import { suiteWorkflowBundle } from './workers';

export interface Credentials {
  apiKey: string;
  authToken: string;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface Caller {
  post: <T = any>(path: string, data: unknown) => Promise<ApiResponse<T>>;
  raw: (path: string, init: RequestInit) => Promise<ApiResponse>;
}

export interface RunningEngine {
  baseUrl: string;
  taskQueue: string;
  client: Client;
  /** Workspace A: admin and member tokens; workspace B: admin. */
  admin: Caller;
  member: Caller;
  otherWorkspace: Caller;
  as: (credentials: Credentials) => Caller;
  workspaceIdA: string;
  close: () => Promise<void>;
}

/** Fixed for tests; the worker opens what the API sealed with it. */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

const cred = (apiKey: string, authToken: string): Credentials => ({ apiKey, authToken });

export const callerFor = (baseUrl: string, credentials: Credentials | undefined): Caller => {
  const raw = async (path: string, init: RequestInit): Promise<ApiResponse> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(credentials ? { 'x-velt-api-key': credentials.apiKey, 'x-velt-auth-token': credentials.authToken } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    raw,
    post: (path, data) => raw(path.startsWith('/') ? path : `/v2/workflow/${path}`, { body: JSON.stringify({ data }) }),
  };
};

export interface EngineOptions {
  /** HTTP agents registered for workspace A (decisions §5). */
  agents?: Array<{ agentId: string; url: string; secret: string }>;
  /** Another bundle of the engine's workflows (e.g. with test interceptors); default: the suite's bundle. */
  workflowBundle?: { code: string };
  /** Another Temporal than the suite's (a test's own, e.g. with lowered limits). */
  address?: string;
}

/** A real worker (engine workflows + activities) and the real API over loopback HTTP. */
export const startEngine = async (options: EngineOptions = {}): Promise<RunningEngine> => {
  const address = options.address ?? inject('temporalAddress');
  const taskQueue = uniqueTaskQueue('engine');
  const suffix = taskQueue.slice(-8);
  const a = { admin: cred(`key-a-${suffix}`, 'token-a-admin'), member: cred(`key-a-${suffix}`, 'token-a-member') };
  const b = cred(`key-b-${suffix}`, 'token-b-admin');
  const registry = new WorkspaceRegistry(
    parseWorkspacesFile(
      JSON.stringify([
        {
          apiKey: a.admin.apiKey,
          authTokens: [
            { sha256: sha256Hex(a.admin.authToken), role: 'admin' },
            { sha256: sha256Hex(a.member.authToken), role: 'member' },
          ],
          ...(options.agents ? { agents: options.agents } : {}),
        },
        { apiKey: b.apiKey, authTokens: [{ sha256: sha256Hex(b.authToken), role: 'admin' }] },
      ]),
      'test',
    ),
  );
  const nativeConnection = await NativeConnection.connect({ address });
  const worker: Worker = await createEngineWorker({
    address,
    namespace: 'default',
    taskQueue,
    connection: nativeConnection,
    activities: createActivities({ registry, allowPrivateWebhookTargets: true, secretsKey: TEST_SECRETS_KEY }),
    workflowBundle: options.workflowBundle ?? suiteWorkflowBundle(),
  });
  const workerRun = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const app = createApp({
    logger: silentLogger,
    registry,
    services: createEngineServices(client, taskQueue, { secretsKey: TEST_SECRETS_KEY, allowPrivateWebhookTargets: true }),
    checkReadiness: () => checkReadiness(connection, 'default', taskQueue),
  });
  const api = await listen(app);
  return {
    baseUrl: api.baseUrl,
    taskQueue,
    client,
    admin: callerFor(api.baseUrl, a.admin),
    member: callerFor(api.baseUrl, a.member),
    otherWorkspace: callerFor(api.baseUrl, b),
    as: (credentials) => callerFor(api.baseUrl, credentials),
    workspaceIdA: workspaceIdFor(a.admin.apiKey),
    close: async () => {
      await api.close();
      worker.shutdown();
      await workerRun;
      await nativeConnection.close();
      await connection.close();
    },
  };
};

/**
 * One engine for the test file: started in beforeAll, closed in afterAll. The returned object can
 * be read (and its callers destructured) at module level; it reaches the engine when used.
 * `options` may be computed in that beforeAll (after the hooks registered before it ran).
 */
export const useEngine = (options: EngineOptions | (() => EngineOptions | Promise<EngineOptions>) = {}): RunningEngine => {
  let running: RunningEngine | undefined;
  beforeAll(async () => {
    running = await startEngine(typeof options === 'function' ? await options() : options);
  });
  afterAll(async () => {
    await running?.close();
  });
  const started = (): RunningEngine => {
    if (!running) throw new Error('the engine starts in beforeAll');
    return running;
  };
  const caller = (pick: (engine: RunningEngine) => Caller): Caller => ({
    post: (path, data) => pick(started()).post(path, data),
    raw: (path, init) => pick(started()).raw(path, init),
  });
  return {
    get baseUrl() {
      return started().baseUrl;
    },
    get taskQueue() {
      return started().taskQueue;
    },
    get client() {
      return started().client;
    },
    get workspaceIdA() {
      return started().workspaceIdA;
    },
    admin: caller((engine) => engine.admin),
    member: caller((engine) => engine.member),
    otherWorkspace: caller((engine) => engine.otherWorkspace),
    as: (credentials) => started().as(credentials),
    close: () => started().close(),
  };
};

/** Visibility (list, count) is eventually consistent; poll a read until it satisfies the check. */
export const eventually = async <T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
};
