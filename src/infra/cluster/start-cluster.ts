import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../tools/tool-paths';
import type { TemporalConnectionOptions, TemporalConnectionSettings } from '../temporal/connection-config';
import { temporalConnectionOptions } from '../temporal/connection-config';
import { ensureClusterCertificates, type ClusterCertificates } from './certificates';
import { firstBusyPort, portVariables, type ClusterPorts } from './cluster-ports';
import { freePorts } from './free-ports';
import { startProcess, type ManagedProcess } from './managed-process';
import { ensureNamespace, waitForFrontend } from './namespace-setup';
import { PidFiles } from './pid-files';
import { startPostgres, type RunningPostgres } from './postgres-instance';
import { setupTemporalSchemas } from './temporal-schema';

export const CLUSTER_CONFIG_DIR = path.join(PROJECT_ROOT, 'deploy/temporal/config');
export const CLUSTER_DYNAMIC_CONFIG = path.join(PROJECT_ROOT, 'deploy/temporal/dynamicconfig/cluster.yaml');
export const TEST_CLUSTER_DYNAMIC_CONFIG = path.join(PROJECT_ROOT, 'deploy/temporal/dynamicconfig/test-cluster.yaml');

export interface ClusterOptions {
  /** Everything the cluster keeps: `pgdata/`, `tls/`, the PostgreSQL password, pid files. */
  root: string;
  tools: { server: string; sqlTool: string; postgresBinDir: string; openssl: string };
  ports: ClusterPorts;
  namespace: string;
  retentionDays: number;
  durable: boolean;
  dynamicConfig: string;
  /** Temporal's own log level (its output goes to `onServerLine`). */
  serverLogLevel: 'debug' | 'info' | 'warn' | 'error';
  log: (message: string) => void;
  onServerLine?: (line: string) => void;
  onPostgresLine?: (line: string) => void;
}

export interface RunningCluster {
  address: string;
  namespace: string;
  certificates: ClusterCertificates;
  /** The engine's configuration variables for this cluster: address and mTLS files. */
  engineSettings: Required<
    Pick<
      TemporalConnectionSettings,
      'TEMPORAL_ADDRESS' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_SERVER_NAME'
    >
  >;
  connectionOptions: TemporalConnectionOptions;
  postgres: RunningPostgres;
  server: ManagedProcess;
  /** Where a supervisor records the processes it adds (worker, API), for the next start to clean up. */
  pids: PidFiles;
  stop: () => Promise<void>;
}

/**
 * PostgreSQL in a project-owned folder → the Temporal schemas → the Temporal server (frontend
 * with mTLS) from deploy/temporal/config/cluster.yaml → the namespace and the engine's search
 * attributes. `stop()` undoes it in reverse order; a failure part way stops what already started.
 */
export const startCluster = async (options: ClusterOptions): Promise<RunningCluster> => {
  const { root, tools, ports, log } = options;
  mkdirSync(root, { recursive: true });
  const pids = new PidFiles(path.join(root, 'pids'));
  for (const leftover of await pids.stopLeftovers()) log(`stopped ${leftover}, left running by an earlier start`);
  const busy = await firstBusyPort(ports, '127.0.0.1');
  if (busy) throw new Error(`cannot start the Temporal server: ${busy} is in use (set TEMPORAL_ADDRESS to another port)`);

  const { files: certificates, generated } = ensureClusterCertificates(tools.openssl, path.join(root, 'tls'));
  log(
    generated
      ? `TLS: generated a CA, a frontend and a client certificate in ${path.dirname(certificates.ca)}`
      : `TLS: using the certificates in ${path.dirname(certificates.ca)}`,
  );

  const [postgresPort] = await freePorts(1);
  const postgres = await startPostgres({
    binDir: tools.postgresBinDir,
    root,
    port: postgresPort!,
    durable: options.durable,
    log,
    ...(options.onPostgresLine ? { onLine: options.onPostgresLine } : {}),
  });
  log(`PostgreSQL: listening on 127.0.0.1:${postgres.port} (data in ${postgres.dataDir})`);
  const stack: Array<() => Promise<void>> = [() => postgres.stop()];
  const unwind = async (): Promise<void> => {
    for (const stop of stack.reverse()) await stop().catch(() => undefined);
    stack.length = 0;
  };
  try {
    await setupTemporalSchemas({
      sqlTool: tools.sqlTool,
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
      log,
    });

    const server = startProcess(
      'temporal',
      tools.server,
      ['--root', '/', '--config', CLUSTER_CONFIG_DIR, '--env', 'cluster', '--allow-no-auth', 'start'],
      {
        env: {
          ...process.env,
          ...portVariables(ports),
          CLUSTER_FRONTEND_BIND_IP: '127.0.0.1',
          CLUSTER_POSTGRES_HOST: postgres.host,
          CLUSTER_POSTGRES_PORT: String(postgres.port),
          CLUSTER_POSTGRES_USER: postgres.user,
          CLUSTER_POSTGRES_PASSWORD: postgres.password,
          CLUSTER_TLS_DIR: path.dirname(certificates.ca),
          CLUSTER_DYNAMIC_CONFIG: options.dynamicConfig,
          CLUSTER_LOG_LEVEL: options.serverLogLevel,
        },
        cwd: root,
        ...(options.onServerLine ? { onLine: options.onServerLine } : {}),
      },
    );
    pids.record('temporal', server.child.pid, tools.server);
    stack.push(async () => {
      await server.stop('SIGTERM', 20_000);
      pids.forget('temporal');
    });
    const address = `127.0.0.1:${ports.frontend}`;
    log(`Temporal server: starting, frontend ${address} with mTLS (config deploy/temporal/config/cluster.yaml)`);
    const engineSettings = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_CA: certificates.ca,
      TEMPORAL_TLS_CERT: certificates.clientCert,
      TEMPORAL_TLS_KEY: certificates.clientKey,
      TEMPORAL_TLS_SERVER_NAME: certificates.serverName,
    };
    const connectionOptions = temporalConnectionOptions(engineSettings);
    let serverExited = false;
    void server.exited.then(() => {
      serverExited = true;
    });
    let connection: Connection;
    try {
      connection = await waitForFrontend(connectionOptions, () => serverExited);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${server.tail()}`);
    }
    try {
      const { registered, searchAttributesAdded } = await ensureNamespace(connection, options.namespace, options.retentionDays);
      log(
        `namespace ${options.namespace}: ${registered ? `registered (retention ${options.retentionDays} day${options.retentionDays === 1 ? '' : 's'})` : 'already registered'}`,
      );
      if (searchAttributesAdded.length > 0) log(`search attributes registered: ${searchAttributesAdded.join(', ')}`);
    } finally {
      await connection.close();
    }
    return { address, namespace: options.namespace, certificates, engineSettings, connectionOptions, postgres, server, pids, stop: unwind };
  } catch (error) {
    await unwind();
    throw error;
  }
};
