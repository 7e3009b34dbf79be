/**
 * `npm run cluster`: the production shape on this machine. PostgreSQL in `.data/cluster/pgdata`,
 * the Temporal schemas, a Temporal server (frontend with mTLS) from deploy/temporal/config, the
 * namespace and search attributes, then the worker and the API connecting with a client
 * certificate. Builds or installs what is missing first. Ctrl-C stops everything, in order.
 */
import path from 'node:path';
import { loadConfig } from '../src/infra/config';
import { workerHeapArgs } from '../src/infra/worker/worker-heap';
import { portsAround } from '../src/infra/cluster/cluster-ports';
import { startProcess, type ManagedProcess } from '../src/infra/cluster/managed-process';
import { CLUSTER_DYNAMIC_CONFIG, startCluster, type RunningCluster } from '../src/infra/cluster/start-cluster';
import { loadOrCreateDevCredentials } from '../src/infra/dev/dev-credentials';
import { PROJECT_ROOT, dataDir, ensureOpenssl, ensurePostgres, ensureTemporalServerTools } from '../src/infra/tools';

const say = (message: string): void => console.log(`[cluster] ${message}`);
const prefixed = (name: string) => (line: string) => process.stdout.write(`[${name}] ${line}\n`);

// The cluster issues its own certificates; connection settings from the environment would point elsewhere.
const OWN_SETTINGS = ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_SERVER_NAME'];

let starting: Promise<RunningCluster> | undefined;
let cluster: RunningCluster | undefined;
const engine: ManagedProcess[] = [];
let stopping = false;
// Server output is shown between a finished start and the stop; before, it is start-up chatter kept for errors.
let showServerOutput = false;

const shutdown = async (code: number): Promise<void> => {
  // A second signal (tsx relays the terminal's Ctrl-C once more) must not cut the ordered stop short.
  if (stopping) return;
  stopping = true;
  showServerOutput = false;
  say('stopping: API and worker, then the Temporal server, then PostgreSQL');
  await Promise.all(engine.map((proc) => proc.stop('SIGTERM', 15_000)));
  for (const proc of engine) cluster?.pids.forget(proc.name);
  // Interrupted while starting: let the start finish (it cleans up after itself on failure), then stop it.
  cluster ??= await starting?.catch(() => undefined);
  await cluster?.stop();
  say('stopped');
  process.exit(code);
};

const main = async (): Promise<void> => {
  const ignored = OWN_SETTINGS.filter((name) => process.env[name]);
  if (ignored.length > 0) say(`ignoring ${ignored.join(', ')}: the cluster uses the certificates it generates`);
  for (const name of OWN_SETTINGS) delete process.env[name];
  const config = loadConfig();
  const [host, port] = config.TEMPORAL_ADDRESS.split(':') as [string, string];
  if (!['127.0.0.1', 'localhost'].includes(host)) {
    throw new Error(`TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS}: the local cluster listens on loopback only; use 127.0.0.1:<port>`);
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  const serverTools = await ensureTemporalServerTools(say);
  const postgres = await ensurePostgres(say);
  const openssl = await ensureOpenssl(say);
  const root = path.join(dataDir(), 'cluster');
  starting = startCluster({
    root,
    tools: { server: serverTools.server, sqlTool: serverTools.sqlTool, postgresBinDir: postgres.binDir, openssl },
    ports: portsAround(Number(port)),
    namespace: config.TEMPORAL_NAMESPACE,
    retentionDays: 3,
    durable: true,
    dynamicConfig: CLUSTER_DYNAMIC_CONFIG,
    serverLogLevel: 'warn',
    log: say,
    onServerLine: (line) => showServerOutput && prefixed('temporal')(line),
    onPostgresLine: (line) => showServerOutput && /ERROR|FATAL|PANIC/.test(line) && prefixed('postgres')(line),
  });
  cluster = await starting;
  if (stopping) return;
  showServerOutput = true;

  const env: NodeJS.ProcessEnv = { ...process.env, ...cluster.engineSettings };
  const needsWorkspace = !config.APPROVAL_WORKSPACES_FILE && !config.APPROVAL_API_KEY;
  if (needsWorkspace || !config.APPROVAL_SECRETS_KEY) {
    const { credentials, created } = loadOrCreateDevCredentials(root);
    env.APPROVAL_SECRETS_KEY ??= credentials.secretsKey;
    if (needsWorkspace) {
      env.APPROVAL_API_KEY = credentials.apiKey;
      env.APPROVAL_AUTH_TOKEN = credentials.authToken;
      say(`${created ? 'created' : 'using'} a workspace (kept in ${path.relative(PROJECT_ROOT, path.join(root, 'dev-workspace.json'))}):`);
      say(`  x-velt-api-key:    ${credentials.apiKey}`);
      say(`  x-velt-auth-token: ${credentials.authToken}`);
    }
  }
  for (const name of ['worker', 'api'] as const) {
    const entry = path.join(PROJECT_ROOT, `src/main/${name}.ts`);
    const heap = name === 'worker' ? workerHeapArgs(config.APPROVAL_WORKER_HEAP_MIB, env.NODE_OPTIONS) : [];
    const proc = startProcess(name, process.execPath, [...heap, '--import', 'tsx', entry], {
      env,
      cwd: PROJECT_ROOT,
      onLine: prefixed(name),
    });
    cluster.pids.record(name, proc.child.pid, entry);
    engine.push(proc);
  }
  say(`Temporal  ${cluster.address} (mTLS; client certificate ${path.relative(PROJECT_ROOT, cluster.certificates.clientCert)})`);
  say(`API       http://127.0.0.1:${config.PORT}  (GET /healthz, GET /readyz, POST /v2/workflow/...)`);
  say(`temporal CLI: temporal workflow list --address ${cluster.address} --tls-ca-path ${cluster.engineSettings.TEMPORAL_TLS_CA} \\`);
  say(
    `  --tls-cert-path ${cluster.engineSettings.TEMPORAL_TLS_CERT} --tls-key-path ${cluster.engineSettings.TEMPORAL_TLS_KEY} --tls-server-name localhost`,
  );
  say('Ctrl-C stops everything');

  const watched = [...engine, cluster.server, cluster.postgres.process];
  const first = await Promise.race(watched.map((proc) => proc.exited.then((code) => ({ proc, code }))));
  if (!stopping) {
    say(`${first.proc.name} exited unexpectedly (code ${String(first.code)}); stopping the rest`);
    if (first.code !== 0) console.error(first.proc.tail());
    await shutdown(1);
  }
};

main().catch(async (error: unknown) => {
  console.error(`[cluster] ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
