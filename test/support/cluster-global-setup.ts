import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freeClusterPorts } from '../../src/infra/cluster/cluster-ports';
import { stopLeftover } from '../../src/infra/cluster/managed-process';
import { PidFiles } from '../../src/infra/cluster/pid-files';
import { startCluster, TEST_CLUSTER_DYNAMIC_CONFIG } from '../../src/infra/cluster/start-cluster';
import type { TemporalConnectionSettings } from '../../src/infra/temporal/connection-config';
import { dataDir, ensureOpenssl, ensurePostgres, ensureTemporalServerTools } from '../../src/infra/tools';
import { engineBundleOptions } from '../../src/infra/worker/workflow-bundle-options';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterMode: boolean;
    /** The engine's TLS settings for the cluster's mTLS frontend (files in the cluster's folder). */
    clusterTls: Omit<TemporalConnectionSettings, 'TEMPORAL_ADDRESS'> | null;
    /** APPROVAL_PAYLOAD_KEYS for every engine of the run: the cluster suite runs encrypted. */
    clusterPayloadKeys: string;
  }
}

const log = (message: string): void => console.log(`[test-cluster] ${message}`);
const clustersDir = (): string => path.join(dataDir(), 'test-cluster');

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A run killed before its teardown leaves PostgreSQL and Temporal running: stop them and drop their folder. */
const reapAbandonedClusters = async (): Promise<void> => {
  if (!existsSync(clustersDir())) return;
  for (const name of readdirSync(clustersDir())) {
    if (/^\d+$/.test(name) && isAlive(Number(name))) continue;
    const root = path.join(clustersDir(), name);
    const stopped = await new PidFiles(path.join(root, 'pids')).stopLeftovers();
    const postmaster = path.join(root, 'pgdata', 'postmaster.pid');
    if (existsSync(postmaster)) {
      const pid = Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
      if (pid > 0 && (await stopLeftover(pid, 'postgres', 'SIGINT'))) stopped.push(`postgres (pid ${pid})`);
    }
    if (stopped.length > 0) log(`stopped ${stopped.join(', ')} of an abandoned test cluster`);
    rmSync(root, { recursive: true, force: true });
  }
};

/**
 * `npm run test:cluster`: one cluster for the whole run (PostgreSQL, the Temporal server with an
 * mTLS frontend, the namespace and search attributes) in `.data/test-cluster/<pid>`, removed at the
 * end. Each HTTP test file then starts its own engine processes against it (test/support/cluster-engine.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const serverTools = await ensureTemporalServerTools(log);
  const postgres = await ensurePostgres(log);
  const openssl = await ensureOpenssl(log);
  await reapAbandonedClusters();
  rmSync(path.join(dataDir(), 'test', 'cluster-engines'), { recursive: true, force: true });
  const root = path.join(clustersDir(), String(process.pid));
  mkdirSync(root, { recursive: true });
  const serverLog = createWriteStream(path.join(root, 'temporal.log'));
  const postgresLog = createWriteStream(path.join(root, 'postgres.log'));
  const cluster = await startCluster({
    root,
    tools: { server: serverTools.server, sqlTool: serverTools.sqlTool, postgresBinDir: postgres.binDir, openssl },
    ports: await freeClusterPorts(),
    namespace: 'default',
    retentionDays: 1,
    durable: false,
    dynamicConfig: TEST_CLUSTER_DYNAMIC_CONFIG,
    serverLogLevel: 'warn',
    log,
    onServerLine: (line) => serverLog.write(`${line}\n`),
    onPostgresLine: (line) => postgresLog.write(`${line}\n`),
  });
  log(`cluster ready at ${cluster.address} in ${Math.round((Date.now() - started) / 1000)}s (logs in ${root})`);

  // The in-process worker of test/http/health.test.ts still needs a bundle.
  const { code } = await bundleWorkflowCode({ ...engineBundleOptions(), logger: quietLogger });
  const workflowBundlePath = path.join(root, 'workflows-bundle.js');
  writeFileSync(workflowBundlePath, code);

  const { TEMPORAL_ADDRESS, ...tls } = cluster.engineSettings;
  project.provide('clusterMode', true);
  project.provide('temporalAddress', TEMPORAL_ADDRESS);
  project.provide('clusterTls', tls);
  project.provide('clusterPayloadKeys', `test-run:${randomBytes(32).toString('base64')}`);
  project.provide('testServerPath', '');
  project.provide('workflowBundlePath', workflowBundlePath);
  return async () => {
    await cluster.stop();
    serverLog.end();
    postgresLog.end();
    rmSync(root, { recursive: true, force: true });
    // Moved out of a folder the postgres account cannot enter (src/infra/cluster/postgres-instance.ts).
    if (!cluster.postgres.dataDir.startsWith(root)) rmSync(path.dirname(cluster.postgres.dataDir), { recursive: true, force: true });
  };
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };
