import { afterAll, beforeAll } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import type { MockAgentPolicy } from '../../activities/mock-agent';
import type { WorkspaceLimits } from '../../src/contracts/workspace-limits';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { createEngineServices } from '../../api/services';
import { WorkspaceRegistry, parseWorkspacesFile, workspaceIdFor } from '../../src/infra/auth/workspace-registry';
import type { NotificationSettings } from '../../src/infra/notifications/transports';
import { AesGcmPayloadCodec } from '../../src/infra/payload-codec/aes-gcm-codec';
import { payloadKeysField } from '../../src/infra/payload-codec/payload-keys';
import { checkReadiness } from '../../src/infra/temporal/readiness';
import { ReviewerLinks } from '../../src/infra/ui/reviewer-links';
import { createEngineWorkers } from '../../src/infra/worker/create-worker';
import type { WorkerSlots } from '../../src/infra/workspace-limits-config';
import { startClusterEngine } from './cluster-engine';
import { listen } from './http';
import { silentLogger } from './silent-logger';
import { isClusterMode, testConnectionOptions } from './temporal-connection';
import { testWorkspaces, type Credentials, type HttpAgent } from './test-workspaces';
import { uniqueTaskQueue } from './unique';
import { suiteWorkflowBundle } from './workers';

export type { Credentials } from './test-workspaces';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

export interface Caller {
  post: <T = any>(path: string, data: unknown) => Promise<ApiResponse<T>>;
  raw: (path: string, init: RequestInit) => Promise<ApiResponse>;
}

export interface RunningEngine {
  /** The first API; in cluster mode the callers alternate between `baseUrls`. */
  baseUrl: string;
  baseUrls: readonly string[];
  taskQueue: string;
  client: Client;
  /** The converter the engine's processes use (payload codec included when encrypted): replay and history reads need it. */
  dataConverter: DataConverter;
  /** Workspace A: admin and member tokens; workspace B: admin. */
  admin: Caller;
  member: Caller;
  otherWorkspace: Caller;
  as: (credentials: Credentials) => Caller;
  workspaceIdA: string;
  close: () => Promise<void>;
}

export interface EngineOptions {
  /** HTTP agents registered for workspace A (docs/behaviour.md#agents). */
  agents?: HttpAgent[];
  /** APPROVAL_PAYLOAD_KEYS for API and worker; in cluster mode every engine encrypts (the setup's key) unless given. */
  payloadKeys?: string;
  /** APPROVAL_OPERATOR_TOKEN: serves the codec endpoint when payloads are encrypted. */
  operatorToken?: string;
  /** APPROVAL_CODEC_CORS_ORIGINS. */
  codecCorsOrigins?: string[];
  /** Another bundle of the engine's workflows (e.g. with test interceptors); default: the suite's bundle. */
  workflowBundle?: { code: string };
  /** Another Temporal than the suite's (a test's own, e.g. with lowered limits). */
  address?: string;
  /** Reviewer links (APPROVAL_PUBLIC_URL = this engine's API) and the /ui pages (docs/ui.md). */
  ui?: { linkLifetimeMs?: number; sessionTtlMs?: number };
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS; default true (the suite's receivers listen on loopback). */
  allowPrivateTargets?: boolean;
  /** SMTP_URL, SMTP_FROM, SLACK_BOT_TOKEN, SLACK_API_URL for the worker (docs/notifications.md); default: none configured. */
  notifications?: NotificationSettings;
  /** Per-workspace limits (docs/behaviour.md, "Workspace limits"); default: the production defaults. */
  limits?: Partial<WorkspaceLimits>;
  /** The worker's activity slots per queue; default: 100 each. */
  slots?: Partial<WorkerSlots>;
  /** APPROVAL_MOCK_AGENT and APPROVAL_MOCK_MAX_DELAY_MS; default: on, 10 minutes. */
  mockAgent?: MockAgentPolicy;
}

/** The defaults of docs/operations.md, "Workspace limits and worker slots". */
export const DEFAULT_TEST_LIMITS: WorkspaceLimits = { maxRunningExecutions: 1000, maxRunningAgents: 20 };

/** Fixed for tests; the worker opens what the API sealed with it. */
export const TEST_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

/** `baseUrl` as a function: each request asks it where to go (cluster mode alternates APIs). */
export const callerFor = (baseUrl: string | (() => string), credentials: Credentials | undefined): Caller => {
  const nextBaseUrl = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  const raw = async (path: string, init: RequestInit): Promise<ApiResponse> => {
    const response = await fetch(`${nextBaseUrl()}${path}`, {
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

/**
 * The engine the HTTP suite talks to. Default: a real worker and the real API in this process,
 * against the run's dev server. `npm run test:cluster`: two worker and two API processes against
 * the cluster (test/support/cluster-engine.ts). A test that brings its own workflow bundle or its
 * own Temporal always gets the in-process engine (separate processes cannot load either).
 */
export const startEngine = async (options: EngineOptions = {}): Promise<RunningEngine> =>
  isClusterMode() && !options.workflowBundle && !options.address && options.allowPrivateTargets !== false
    ? startClusterEngine(options)
    : startInProcessEngine(options);

const startInProcessEngine = async (options: EngineOptions): Promise<RunningEngine> => {
  const temporal = options.address ? { address: options.address } : testConnectionOptions();
  const taskQueue = uniqueTaskQueue('engine');
  const { a, b, file } = await testWorkspaces(taskQueue.slice(-8), options.agents);
  const registry = new WorkspaceRegistry(parseWorkspacesFile(file, 'test'));
  const allowPrivate = options.allowPrivateTargets ?? true;
  const keys = options.payloadKeys === undefined ? undefined : payloadKeysField.parse(options.payloadKeys);
  const codec = keys ? new AesGcmPayloadCodec(keys) : undefined;
  const dataConverter: DataConverter = codec ? { payloadCodecs: [codec] } : {};
  // Listening first gives the public URL (webhook-node callbacks, reviewer links); requests wait for the app.
  const served: { app?: { fetch: (request: Request) => Response | Promise<Response> } } = {};
  const api = await listen({ fetch: (request) => (served.app ? served.app.fetch(request) : new Response('starting', { status: 503 })) });
  const reviewerLinks = options.ui
    ? new ReviewerLinks({ secretsKey: TEST_SECRETS_KEY, publicUrl: api.baseUrl, lifetimeMs: options.ui.linkLifetimeMs ?? 3_600_000 })
    : undefined;
  const nativeConnection = await NativeConnection.connect(temporal);
  const worker = await createEngineWorkers({
    temporal,
    namespace: 'default',
    taskQueue,
    connection: nativeConnection,
    dataConverter,
    activities: createActivities({
      registry,
      allowPrivateWebhookTargets: allowPrivate,
      secretsKey: TEST_SECRETS_KEY,
      publicUrl: api.baseUrl,
      reviewerLinks,
      notifications: options.notifications,
      mockAgent: options.mockAgent,
    }),
    workflowBundle: options.workflowBundle ?? suiteWorkflowBundle(),
    slots: { agents: 100, webhooks: 100, ...options.slots },
  });
  const workerRun = worker.run();
  const connection = await Connection.connect(temporal);
  const client = new Client({ connection, dataConverter });
  served.app = createApp({
    logger: silentLogger,
    registry,
    services: createEngineServices(client, taskQueue, {
      secretsKey: TEST_SECRETS_KEY,
      allowPrivateWebhookTargets: allowPrivate,
      reviewerLinks,
      limits: { ...DEFAULT_TEST_LIMITS, ...options.limits },
    }),
    checkReadiness: () => checkReadiness(connection, 'default', taskQueue),
    ui: options.ui ? { secretsKey: TEST_SECRETS_KEY, sessionTtlMs: options.ui.sessionTtlMs ?? 3_600_000 } : undefined,
    codecEndpoint:
      codec && options.operatorToken
        ? { codec, operatorToken: options.operatorToken, corsOrigins: options.codecCorsOrigins ?? [] }
        : undefined,
  });
  return {
    baseUrl: api.baseUrl,
    baseUrls: [api.baseUrl],
    taskQueue,
    client,
    dataConverter,
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
    get baseUrls() {
      return started().baseUrls;
    },
    get taskQueue() {
      return started().taskQueue;
    },
    get client() {
      return started().client;
    },
    get dataConverter() {
      return started().dataConverter;
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
