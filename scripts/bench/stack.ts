/**
 * The stack `npm run bench` measures (docs/bench.md): its own Temporal dev server (in memory, on a
 * free port), the engine's worker and API as the processes they are in production
 * (src/main/worker.ts, src/main/api.ts), and the raw floor's worker as a process of its own. Separate
 * processes let the bench read the engine worker's RSS alone, profile each of them, and keep the
 * load generator (this process) off their event loops.
 */
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { hashToken } from '../../src/infra/auth/token-hash';
import { workspaceIdFor } from '../../src/infra/auth/workspace-registry';
import { startProcess, type ManagedProcess } from '../../src/infra/cluster/managed-process';
import { waitForTemporal } from '../../src/infra/dev/wait-for-temporal';
import { registerSearchAttributes } from '../../src/infra/temporal/register-search-attributes';
import { PROJECT_ROOT, ensureTemporalCli } from '../../src/infra/tools';
import { freePort } from '../../src/infra/net/free-port';
import { DEFAULT_WORKER_HEAP_MIB, workerHeapArgs } from '../../src/infra/worker/worker-heap';

export interface BenchStack {
  address: string;
  client: Client;
  apiUrl: string;
  apiKey: string;
  authToken: string;
  workspaceId: string;
  engineTaskQueue: string;
  rawTaskQueue: string;
  /** Every process the bench started, by name: the server, the engine's worker (its RSS is P4's figure) and API, the raw worker. */
  pids: { server: number; worker: number; api: number; rawWorker: number };
  /** Starts, then stops and writes, the CPU profiles of the worker and the API; a no-op without --profile. */
  toggleProfiles: () => Promise<void>;
  close: () => Promise<void>;
}

export interface StackOptions {
  dir: string;
  profileDir?: string | undefined;
  /** The engine worker's workflow cache (APPROVAL_WORKER_MAX_CACHED_WORKFLOWS); undefined: its default. */
  workerCache?: number | undefined;
  /** The engine worker's V8 heap limit (`--max-old-space-size`, MiB); undefined: the engine's default; 0: Node's. */
  workerHeapMiB?: number | undefined;
  log: (message: string) => void;
}

const START_TIMEOUT_MS = 300_000;

const waitForLine = (proc: ManagedProcess, lines: Promise<string>): Promise<string> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${proc.name} was not up within ${START_TIMEOUT_MS / 1000}s:\n${proc.tail()}`)),
      START_TIMEOUT_MS,
    );
    void lines.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${proc.name} exited (code ${String(code)}) during start:\n${proc.tail()}`));
    });
  });

export const startStack = async (options: StackOptions): Promise<BenchStack> => {
  const { dir, log } = options;
  mkdirSync(dir, { recursive: true });
  const cli = await ensureTemporalCli(log);
  if (cli.kind !== 'path') throw new Error('no temporal CLI: run `npm run tools` or set TEMPORAL_CLI_PATH');
  const [port, uiPort] = [await freePort(), await freePort()];
  const address = `127.0.0.1:${port}`;
  const processes: ManagedProcess[] = [];
  let closing = false;
  let profiling = false;
  const profileFlag = path.join(dir, 'profiling.on');
  const stopAll = async (): Promise<void> => {
    closing = true;
    for (const proc of [...processes].reverse()) await proc.stop('SIGTERM', 20_000);
  };
  try {
    const server = startProcess(
      'temporal',
      cli.path,
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--ui-port',
        String(uiPort),
        '--log-level',
        'error',
      ],
      { cwd: dir },
    );
    processes.push(server);
    const probe = await waitForTemporal(address, {
      server: { exited: server.exited.then((code) => ({ code, signal: null })) },
      log,
    });
    try {
      await registerSearchAttributes(probe, 'default');
    } finally {
      await probe.close();
    }

    const apiKey = 'bench-key';
    // As in production: a long random token stored as a salted scrypt hash (the API caches verified tokens).
    const authToken = randomBytes(32).toString('base64url');
    const workspacesFile = path.join(dir, 'workspaces.json');
    writeFileSync(workspacesFile, JSON.stringify([{ apiKey, authTokens: [{ scrypt: await hashToken(authToken), role: 'admin' }] }]), {
      mode: 0o600,
    });
    const engineTaskQueue = 'bench-engine';
    const rawTaskQueue = 'bench-raw';
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'default',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    };
    const node = (name: string, entry: string, env: NodeJS.ProcessEnv, profiled: boolean): ManagedProcess => {
      const profile = profiled && options.profileDir !== undefined;
      const heap = name === 'worker' ? workerHeapArgs(options.workerHeapMiB ?? DEFAULT_WORKER_HEAP_MIB, undefined) : [];
      const args = [...heap, '--import', 'tsx', ...(profile ? ['--import', path.join(PROJECT_ROOT, 'scripts/bench-profile.mjs')] : [])];
      const logFile = createWriteStream(path.join(dir, `${name}.log`));
      const proc = startProcess(name, process.execPath, [...args, path.join(PROJECT_ROOT, entry)], {
        cwd: PROJECT_ROOT,
        env: {
          ...baseEnv,
          ...env,
          ...(profile ? { BENCH_PROFILE_DIR: options.profileDir, BENCH_PROFILE_NAME: name, BENCH_PROFILE_FLAG: profileFlag } : {}),
        },
        onLine: (line) => {
          logFile.write(`${line}\n`);
          if (/"level":(50|60)|error/i.test(line) && !/raw worker ready/.test(line)) log(`${name}: ${line.slice(0, 400)}`);
          listeners.get(name)?.(line);
        },
      });
      processes.push(proc);
      void proc.exited.then((code) => {
        if (closing) return;
        // A figure taken without it would mean nothing (and its requests would wait forever).
        log(`${name} exited (code ${String(code)}) during the bench; its log: ${path.join(dir, `${name}.log`)}`);
        void stopAll().finally(() => process.exit(1));
      });
      return proc;
    };
    const listeners = new Map<string, (line: string) => void>();
    const lineFrom = (name: string, pattern: RegExp): Promise<string> =>
      new Promise((resolve) => {
        listeners.set(name, (line) => {
          const found = pattern.exec(line);
          if (found) resolve(found[1] ?? found[0]);
        });
      });
    const engineEnv = {
      TEMPORAL_TASK_QUEUE: engineTaskQueue,
      APPROVAL_WORKSPACES_FILE: workspacesFile,
      APPROVAL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      // P4 parks 10,000 runs of one workspace: over the default limit of 1,000 running executions.
      APPROVAL_MAX_RUNNING_EXECUTIONS: '15000',
      PORT: '0',
      // The worker logs its start at info; at warn the bench still hears of trouble.
      LOG_LEVEL: 'info',
      ...(options.workerCache === undefined ? {} : { APPROVAL_WORKER_MAX_CACHED_WORKFLOWS: String(options.workerCache) }),
    };
    const workerUp = lineFrom('worker', /(worker polling task queue)/);
    const apiUp = lineFrom('api', /API listening on (http:\/\/[\d.]+:\d+)/);
    const rawUp = lineFrom('raw-worker', /(raw worker ready)/);
    const worker = node('worker', 'src/main/worker.ts', engineEnv, true);
    const api = node('api', 'src/main/api.ts', engineEnv, true);
    const raw = node('raw-worker', 'scripts/bench/raw-worker.ts', { TEMPORAL_TASK_QUEUE: rawTaskQueue }, false);
    log('starting the engine worker, the API and the raw worker (each bundles or loads its code)');
    const [apiUrl] = await Promise.all([waitForLine(api, apiUp), waitForLine(worker, workerUp), waitForLine(raw, rawUp)]);
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace: 'default' });
    return {
      address,
      client,
      apiUrl,
      apiKey,
      authToken,
      workspaceId: workspaceIdFor(apiKey),
      engineTaskQueue,
      rawTaskQueue,
      pids: { server: server.child.pid!, worker: worker.child.pid!, api: api.child.pid!, rawWorker: raw.child.pid! },
      toggleProfiles: async () => {
        if (options.profileDir === undefined) return;
        profiling = !profiling;
        if (profiling) writeFileSync(profileFlag, 'on');
        else rmSync(profileFlag, { force: true });
        // The processes look for the flag every 250 ms; a stopped profile takes a moment to write.
        await new Promise((resolve) => setTimeout(resolve, profiling ? 1_000 : 5_000));
      },
      close: async () => {
        await connection.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
