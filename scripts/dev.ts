/**
 * `npm start`: the whole stack on the embedded default. Starts the Temporal dev server (SQLite
 * persistence, Web UI) and waits for it as long as its process lives, registers the engine's search
 * attributes, then the worker and the API. Any failure stops every child; a worker or API that dies
 * after it was up is restarted with backoff (docs/behaviour.md, "Development stack").
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/infra/config';
import { loadOrCreateDevCredentials } from '../src/infra/dev/dev-credentials';
import { devServerArgs } from '../src/infra/dev/dev-server-args';
import { describeExit } from '../src/infra/dev/supervised-process';
import { DevSupervisor } from '../src/infra/dev/supervisor';
import { isTemporalUp, waitForTemporal } from '../src/infra/dev/wait-for-temporal';
import { registerSearchAttributes } from '../src/infra/temporal/register-search-attributes';
import { PROJECT_ROOT, dataDir, ensureTemporalCli } from '../src/infra/tools';
import { workerHeapArgs } from '../src/infra/worker/worker-heap';

const UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const say = (message: string): void => console.log(`[dev] ${message}`);

/** Children log for a human reader: pretty lines, in colour when we print to a terminal. */
const childEnvironment = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' };
  if (process.stdout.isTTY && env.NO_COLOR === undefined) env.FORCE_COLOR ??= '1';
  return env;
};

const start = async (supervisor: DevSupervisor): Promise<void> => {
  const config = loadConfig();
  let server;
  if (await isTemporalUp(config.TEMPORAL_ADDRESS)) {
    say(`using the Temporal server already running at ${config.TEMPORAL_ADDRESS}`);
  } else {
    const cli = await ensureTemporalCli(say);
    if (cli.kind !== 'path') {
      throw new Error('no temporal CLI available: install Go, put `temporal` on PATH, or set TEMPORAL_CLI_PATH');
    }
    if (supervisor.stopping) return;
    mkdirSync(dataDir(), { recursive: true });
    const args = devServerArgs({
      address: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      dataDirectory: dataDir(),
      uiPort: UI_PORT,
    });
    server = supervisor.startEssential(
      { name: 'temporal', command: cli.path, args, env: process.env },
      (status) => `the Temporal dev server ${describeExit(status)} (executions are kept in its SQLite file; run npm start again)`,
    );
    say(`Temporal dev server starting on ${config.TEMPORAL_ADDRESS} (history in ${path.join(dataDir(), 'temporal.sqlite')})`);
  }
  const connection = await waitForTemporal(config.TEMPORAL_ADDRESS, { server, signal: supervisor.signal, log: say });
  try {
    const added = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    if (added.length > 0) say(`registered search attributes: ${added.join(', ')}`);
  } finally {
    await connection.close();
  }

  const env = childEnvironment();
  const needsWorkspace = !config.APPROVAL_WORKSPACES_FILE && !config.APPROVAL_API_KEY;
  if (needsWorkspace || !config.APPROVAL_SECRETS_KEY) {
    const { credentials, created } = loadOrCreateDevCredentials(dataDir());
    env.APPROVAL_SECRETS_KEY ??= credentials.secretsKey;
    if (needsWorkspace) {
      env.APPROVAL_API_KEY = credentials.apiKey;
      env.APPROVAL_AUTH_TOKEN = credentials.authToken;
      say(`${created ? 'created' : 'using'} the development workspace (kept in ${path.join(dataDir(), 'dev-workspace.json')}):`);
      say(`  x-velt-api-key:    ${credentials.apiKey}`);
      say(`  x-velt-auth-token: ${credentials.authToken}`);
    }
  }
  // Reviewer links on, pointing at this API unless the operator says where it is reachable (docs/ui.md).
  env.APPROVAL_PUBLIC_URL ??= `http://127.0.0.1:${config.PORT}`;
  env.APPROVAL_REVIEWER_LINKS ??= 'true';
  const node = (entry: string, nodeArgs: string[] = []) => ({
    command: process.execPath,
    args: [...nodeArgs, '--import', 'tsx', path.join(PROJECT_ROOT, entry)],
    env,
    ipc: true as const,
  });
  if (supervisor.stopping) return;
  await Promise.all([
    supervisor.startRestartable({
      name: 'worker',
      ...node('src/main/worker.ts', workerHeapArgs(config.APPROVAL_WORKER_HEAP_MIB, env.NODE_OPTIONS)),
    }),
    supervisor.startRestartable({ name: 'api', ...node('src/main/api.ts') }),
  ]);
  if (supervisor.stopping) return;
  say('up');
  say(`API    http://127.0.0.1:${config.PORT}  (GET /healthz, GET /readyz, POST /v2/workflow/...)`);
  say(`Reviewer and operator pages http://127.0.0.1:${config.PORT}/ui`);
  say(`Temporal Web UI http://127.0.0.1:${UI_PORT}`);
  say('Ctrl-C stops everything');
};

const supervisor = new DevSupervisor({ log: say });
supervisor.handleSignals();
start(supervisor).catch((error: unknown) => supervisor.fail(error));
process.exit(await supervisor.finished);
