/**
 * Measures how long executions/list lags behind the engine (docs/behaviour.md, "Executions"): the
 * time from a dispatch's answer until the run shows in the list's visibility query, and from a
 * cancel's answer until the run shows under `status: cancelled`. Prints percentiles.
 *
 *   npx tsx scripts/measure-visibility-lag.ts [--count 200] [--concurrency 2] [--poll-ms 10] [--cluster]
 *
 * Default: a Temporal dev server with SQLite file persistence, as `npm start` runs it. `--cluster`:
 * a throwaway cluster of `npm run cluster`'s shape (PostgreSQL visibility, mTLS frontend) in
 * `.data/measure-cluster/<pid>`, removed at the end. Worker and engine services run in this process.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createEngineServices } from '../api/services';
import { executionWorkflowId } from '../src/contracts/execution-messages';
import { ALL_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { WorkspaceRegistry } from '../src/infra/auth/workspace-registry';
import { freeClusterPorts } from '../src/infra/cluster/cluster-ports';
import { CLUSTER_DYNAMIC_CONFIG, startCluster } from '../src/infra/cluster/start-cluster';
import type { TemporalConnectionOptions } from '../src/infra/temporal/connection-config';
import { and, quote } from '../src/infra/temporal/visibility-query';
import { dataDir, ensureOpenssl, ensurePostgres, ensureTemporalCli, ensureTemporalServerTools } from '../src/infra/tools';
import { createEngineWorkers } from '../src/infra/worker/create-worker';
import { reviewDefinition } from './shared/review-definition';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '2' },
    'poll-ms': { type: 'string', default: '10' },
    cluster: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
// The lag is read to within this (plus one visibility round trip); each poll costs the server a query.
const POLL_MS = Number(values['poll-ms']);
const log = (message: string): void => console.log(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  name: string;
  connection: TemporalConnectionOptions;
  stop: () => Promise<void>;
}

const devServer = async (): Promise<Server> => {
  const cli = await ensureTemporalCli(log);
  const folder = mkdtempSync(path.join(tmpdir(), 'measure-lag-'));
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.kind === 'path' ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      dbFilename: path.join(folder, 'temporal.sqlite'),
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
    },
  });
  return {
    name: 'dev server (temporal server start-dev, SQLite file)',
    connection: { address: env.address },
    stop: async () => {
      await env.teardown();
      rmSync(folder, { recursive: true, force: true });
    },
  };
};

const cluster = async (): Promise<Server> => {
  const serverTools = await ensureTemporalServerTools(log);
  const postgres = await ensurePostgres(log);
  const openssl = await ensureOpenssl(log);
  const root = path.join(dataDir(), 'measure-cluster', String(process.pid));
  mkdirSync(root, { recursive: true });
  const running = await startCluster({
    root,
    tools: { server: serverTools.server, sqlTool: serverTools.sqlTool, postgresBinDir: postgres.binDir, openssl },
    ports: await freeClusterPorts(),
    namespace: 'default',
    retentionDays: 1,
    durable: false,
    dynamicConfig: CLUSTER_DYNAMIC_CONFIG,
    serverLogLevel: 'error',
    log,
  });
  return {
    name: 'cluster (temporal-server v1.29.1, PostgreSQL persistence and visibility, mTLS)',
    connection: running.connectionOptions,
    stop: async () => {
      await running.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
};

const percentiles = (label: string, samples: number[]): void => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const ms = (value: number): string => `${Math.round(value)} ms`;
  log(`${label.padEnd(34)} n=${sorted.length}  p50 ${ms(at(50))}  p90 ${ms(at(90))}  p99 ${ms(at(99))}  max ${ms(sorted.at(-1) ?? NaN)}`);
};

Runtime.install({ logger: new DefaultLogger('WARN') });
const server = values.cluster ? await cluster() : await devServer();
try {
  const taskQueue = `measure-lag-${process.pid}`;
  const nativeConnection = await NativeConnection.connect(server.connection);
  const worker = await createEngineWorkers({
    temporal: server.connection,
    namespace: 'default',
    taskQueue,
    connection: nativeConnection,
    activities: createActivities({ registry: new WorkspaceRegistry([]), allowPrivateWebhookTargets: true }),
    slots: { agents: 10, webhooks: 10 },
  });
  const workerRun = worker.run();
  const connection = await Connection.connect(server.connection);
  const client = new Client({ connection });
  const services = createEngineServices(client, taskQueue, { secretsKey: undefined, allowPrivateWebhookTargets: true });
  const workspaceId = 'ws_measure';
  const definitionId = 'measure-lag';

  try {
    await services.definitions.create(workspaceId, reviewDefinition(definitionId, 'Waits for a reviewer'));

    /** Polls the visibility query executions/list sends (narrowed to one run) until it lists the run. */
    const visibleAfter = async (executionId: string, status: string | undefined, since: number): Promise<number> => {
      const query = and(
        `ApprovalKind = 'execution'`,
        `ApprovalWorkspace = ${quote(workspaceId)}`,
        `ExecutionStatus != 'ContinuedAsNew'`,
        `ApprovalDefinitionId = ${quote(definitionId)}`,
        status !== undefined && `ApprovalStatus = ${quote(status)}`,
        `WorkflowId = ${quote(executionWorkflowId(workspaceId, executionId))}`,
      );
      for (;;) {
        if ((await client.workflow.count(query)).count > 0) return performance.now() - since;
        await sleep(POLL_MS);
      }
    };

    const dispatchMs: number[] = [];
    const listedMs: number[] = [];
    const cancelledMs: number[] = [];
    let next = 0;
    const runner = async (): Promise<void> => {
      while (next < count) {
        next += 1;
        const started = performance.now();
        const { executionId } = await services.dispatcher.dispatch(workspaceId, { definitionId });
        const dispatched = performance.now();
        dispatchMs.push(dispatched - started);
        listedMs.push(await visibleAfter(executionId, undefined, dispatched));
        await services.executions.cancel(workspaceId, executionId, 'measured');
        cancelledMs.push(await visibleAfter(executionId, 'cancelled', performance.now()));
      }
    };
    log(`measuring ${count} dispatches, ${concurrency} at a time, polling every ${POLL_MS} ms, on the ${server.name}`);
    await Promise.all(Array.from({ length: concurrency }, runner));
    log(`load average while measuring: ${loadavg()[0]?.toFixed(2)} (${server.name})`);
    percentiles('dispatch answered', dispatchMs);
    percentiles('dispatch -> listed', listedMs);
    percentiles('cancel -> listed as cancelled', cancelledMs);
  } finally {
    worker.shutdown();
    await workerRun;
  }
  await connection.close();
  await nativeConnection.close();
} finally {
  await server.stop();
}
