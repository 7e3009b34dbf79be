/**
 * `npm start`: the whole stack on the embedded default. Starts the Temporal dev server (SQLite
 * persistence, Web UI), registers the engine's search attributes, then the worker and the API.
 * Ctrl-C shuts all three down cleanly.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/infra/config';
import { loadOrCreateDevCredentials } from '../src/infra/dev/dev-credentials';
import { devServerArgs } from '../src/infra/dev/dev-server-args';
import { startSupervised, type SupervisedProcess } from '../src/infra/dev/supervised-process';
import { isTemporalUp, waitForTemporal } from '../src/infra/dev/wait-for-temporal';
import { registerSearchAttributes } from '../src/infra/temporal/register-search-attributes';
import { PROJECT_ROOT, dataDir, ensureTemporalCli } from '../src/infra/tools';

const UI_PORT = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
const say = (message: string): void => console.log(`[dev] ${message}`);

const main = async (): Promise<void> => {
  const config = loadConfig();
  const running: SupervisedProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      say('shutting down');
      // API and worker first (they drain), then the server they talk to.
      for (const proc of [...running].reverse()) await proc.stop();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  if (await isTemporalUp(config.TEMPORAL_ADDRESS)) {
    say(`using the Temporal server already running at ${config.TEMPORAL_ADDRESS}`);
  } else {
    const cli = await ensureTemporalCli(say);
    if (cli.kind !== 'path') {
      throw new Error('no temporal CLI available: install Go, put `temporal` on PATH, or set TEMPORAL_CLI_PATH');
    }
    mkdirSync(dataDir(), { recursive: true });
    const args = devServerArgs({
      address: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      dataDirectory: dataDir(),
      uiPort: UI_PORT,
    });
    running.push(startSupervised('temporal', cli.path, args, process.env));
    say(`Temporal dev server starting on ${config.TEMPORAL_ADDRESS} (history in ${path.join(dataDir(), 'temporal.sqlite')})`);
  }
  const connection = await waitForTemporal(config.TEMPORAL_ADDRESS);
  const added = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  if (added.length > 0) say(`registered search attributes: ${added.join(', ')}`);
  await connection.close();

  const env: NodeJS.ProcessEnv = { ...process.env };
  const needsWorkspace = !config.APPROVAL_WORKSPACES_FILE && !config.APPROVAL_API_KEY;
  if (needsWorkspace || !config.APPROVAL_SECRETS_KEY) {
    const { credentials, created } = loadOrCreateDevCredentials(dataDir());
    env.APPROVAL_SECRETS_KEY ??= credentials.secretsKey;
    if (needsWorkspace) {
      env.APPROVAL_API_KEY = credentials.apiKey;
      env.APPROVAL_AUTH_TOKEN = credentials.authToken;
      say(`${created ? 'created' : 'using'} the development workspace (kept in .data/dev-workspace.json):`);
      say(`  x-velt-api-key:    ${credentials.apiKey}`);
      say(`  x-velt-auth-token: ${credentials.authToken}`);
    }
  }
  const tsx = ['--import', 'tsx'];
  running.push(startSupervised('worker', process.execPath, [...tsx, path.join(PROJECT_ROOT, 'src/main/worker.ts')], env));
  running.push(startSupervised('api', process.execPath, [...tsx, path.join(PROJECT_ROOT, 'src/main/api.ts')], env));
  say(`API    http://127.0.0.1:${config.PORT}  (GET /healthz, GET /readyz, POST /v2/workflow/...)`);
  say(`Web UI http://127.0.0.1:${UI_PORT}`);
  say('Ctrl-C stops everything');

  const firstExit = await Promise.race(running.map((proc) => proc.exited.then((code) => ({ proc, code }))));
  if (!stopping) {
    say(`${firstExit.proc.name} exited unexpectedly (code ${String(firstExit.code)}); stopping the rest`);
    await shutdown(1);
  }
};

main().catch((error: unknown) => {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
