import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { workspaceIdFor } from '../../../src/infra/auth/workspace-registry';
import { registerSearchAttributes } from '../../../src/infra/temporal/register-search-attributes';
import { OrphanGuard } from '../../../src/infra/dev/orphan-guard';
import { startSupervised, type ProcessSpec, type SupervisedProcess } from '../../../src/infra/dev/supervised-process';
import { waitForTemporal } from '../../../src/infra/dev/wait-for-temporal';
import { ensureTemporalCli, PROJECT_ROOT } from '../../../src/infra/tools';
import { callerFor, TEST_SECRETS_KEY, type Caller } from '../../support/engine';
import { freePort } from '../../support/free-port';

const LOG_LINES_EACH = 60;

/**
 * The production shape as separate processes: a Temporal dev server on its own SQLite file, the
 * worker (`src/main/worker.ts`) and the API (`src/main/api.ts`), each of which a test can kill
 * with SIGKILL and start again.
 */
export class ProcessStack {
  private server: SupervisedProcess | undefined;
  private worker: SupervisedProcess | undefined;
  private api: SupervisedProcess | undefined;
  private readonly logs = new Map<string, string[]>();
  /** Stops the stack's processes if this test process dies without calling stop(). */
  private readonly guard = OrphanGuard.start();
  readonly caller: Caller;

  private constructor(
    private readonly cliPath: string,
    private readonly dir: string,
    private readonly temporalPort: number,
    private readonly apiPort: number,
    private readonly credentials: { apiKey: string; authToken: string },
  ) {
    this.caller = callerFor(`http://127.0.0.1:${apiPort}`, credentials);
  }

  static async start(): Promise<ProcessStack> {
    const cli = await ensureTemporalCli(() => undefined);
    if (cli.kind !== 'path') throw new Error('the fault tests need the temporal CLI (npm run tools builds it)');
    const dir = mkdtempSync(path.join(tmpdir(), 'approval-faults-'));
    const stack = new ProcessStack(cli.path, dir, await freePort(), await freePort(), {
      apiKey: `faults-${path.basename(dir)}`,
      authToken: 'faults-admin-token-0123456789abcdef',
    });
    try {
      await stack.startServer();
      await Promise.all([stack.startWorker(), stack.startApi()]);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** The workspace the API serves, as Temporal knows it (workflow ids, search attributes). */
  get workspaceId(): string {
    return workspaceIdFor(this.credentials.apiKey);
  }

  get address(): string {
    return `127.0.0.1:${this.temporalPort}`;
  }

  /** The last lines of every process, for a failure message. */
  recentLogs(): string {
    return [...this.logs].map(([name, lines]) => `--- ${name} ---\n${lines.join('\n')}`).join('\n');
  }

  note(line: string): void {
    this.record('test', line);
  }

  /** Starts the dev server on the stack's SQLite file and port, and waits until it answers. */
  async startServer(): Promise<void> {
    const args = [
      'server',
      'start-dev',
      '--headless',
      '--db-filename',
      path.join(this.dir, 'temporal.sqlite'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(this.temporalPort),
      '--namespace',
      'default',
      '--log-level',
      'error',
    ];
    this.server = this.spawn({ name: 'temporal', command: this.cliPath, args, env: process.env });
    const connection = await waitForTemporal(this.address, { server: this.server, log: (line) => this.note(line) });
    try {
      await registerSearchAttributes(connection, 'default');
    } finally {
      await connection.close();
    }
  }

  async killServer(): Promise<void> {
    await this.kill(this.server);
  }

  /** Starts a worker process and resolves once it polls (it announces that over IPC). */
  async startWorker(): Promise<void> {
    this.worker = await this.startNode('worker', 'src/main/worker.ts');
    this.workerStarts += 1;
  }

  /** Worker processes started so far (1 + the restarts). */
  workerStarts = 0;

  async killWorker(): Promise<void> {
    await this.kill(this.worker);
  }

  async stop(): Promise<void> {
    for (const proc of [this.api, this.worker, this.server]) {
      if (proc?.running()) await proc.stop(5_000);
    }
    this.guard.release();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(spec: ProcessSpec): SupervisedProcess {
    const proc = startSupervised(spec, this.sink);
    const { pid } = proc;
    if (pid !== undefined) {
      this.guard.watch(pid);
      void proc.exited.then(() => this.guard.forget(pid));
    }
    return proc;
  }

  private async startApi(): Promise<void> {
    this.api = await this.startNode('api', 'src/main/api.ts');
  }

  private async startNode(name: string, entry: string): Promise<SupervisedProcess> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: this.address,
      TEMPORAL_TASK_QUEUE: 'faults',
      PORT: String(this.apiPort),
      APPROVAL_API_KEY: this.credentials.apiKey,
      APPROVAL_AUTH_TOKEN: this.credentials.authToken,
      APPROVAL_SECRETS_KEY: TEST_SECRETS_KEY,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    };
    const proc = this.spawn({ name, command: process.execPath, args: ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], env, ipc: true });
    const outcome = await Promise.race([proc.ready.then(() => 'ready' as const), proc.exited]);
    if (outcome !== 'ready') throw new Error(`${name} exited before it was up: ${JSON.stringify(outcome)}\n${proc.tail().join('\n')}`);
    this.note(`${name} up (pid ${String(proc.pid)})`);
    return proc;
  }

  private async kill(proc: SupervisedProcess | undefined): Promise<void> {
    if (!proc?.running()) return;
    this.note(`kill -9 ${proc.name} (pid ${String(proc.pid)})`);
    proc.kill('SIGKILL');
    await proc.exited;
  }

  private readonly sink = (name: string, line: string): void => this.record(name, line);

  private record(name: string, line: string): void {
    const lines = this.logs.get(name) ?? [];
    this.logs.set(name, lines);
    lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (lines.length > LOG_LINES_EACH) lines.shift();
  }
}

/** One stack for a test file: started before its tests, stopped after them. */
export const useProcessStack = (): (() => ProcessStack) => {
  let stack: ProcessStack | undefined;
  beforeAll(async () => {
    stack = await ProcessStack.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error('the process stack starts in beforeAll');
    return stack;
  };
};
