import { OrphanGuard } from './orphan-guard';
import { decideRestart, RESTART_POLICY } from './restart-policy';
import {
  describeExit,
  prefixToStdout,
  startSupervised,
  type ExitStatus,
  type LineSink,
  type ProcessSpec,
  type SupervisedProcess,
} from './supervised-process';

export interface SupervisorOptions {
  log: (message: string) => void;
  sink?: LineSink;
  /** Start the orphan guard (off only in tests that drive the class in process). */
  guard?: boolean;
}

/** A child the stack cannot live without and does not restart (the Temporal dev server). */
export type Essential = ProcessSpec;

/** A child that is restarted when it dies after it was up (the worker, the API). */
export type Restartable = ProcessSpec & { ipc: true };

class StartFailure extends Error {}

const lastWords = (proc: SupervisedProcess): string => {
  const tail = proc.tail().slice(-15);
  return tail.length > 0 ? `; its last lines:\n${tail.map((line) => `    ${line}`).join('\n')}` : '';
};

/**
 * Runs the development stack's processes (docs/behaviour.md, "Development stack"): any failure
 * stops every child, in reverse start order; the worker and the API are restarted with backoff
 * when they die after they were up; the guard process stops the children even if the supervisor
 * itself is killed.
 */
export class DevSupervisor {
  private readonly started: SupervisedProcess[] = [];
  private readonly guard: OrphanGuard | undefined;
  private readonly aborter = new AbortController();
  private readonly log: (message: string) => void;
  private readonly sink: LineSink;
  private shutdownStarted: Promise<number> | undefined;
  private resolveFinished!: (code: number) => void;
  /** The exit code, once every child has stopped. */
  readonly finished = new Promise<number>((resolve) => {
    this.resolveFinished = resolve;
  });

  constructor(options: SupervisorOptions) {
    this.log = options.log;
    this.sink = options.sink ?? prefixToStdout;
    this.guard = options.guard === false ? undefined : OrphanGuard.start();
  }

  /** Aborted once shutting down: long waits (the dev server's start) end early. */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get stopping(): boolean {
    return this.shutdownStarted !== undefined;
  }

  /** Every child process started so far that is still running. */
  running(): SupervisedProcess[] {
    return this.started.filter((proc) => proc.running());
  }

  /** Stops the stack on SIGINT/SIGTERM/SIGHUP and on a crash of the supervisor's own code. */
  handleSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => void this.shutdown(0, `${signal} received`));
    }
    process.on('uncaughtException', (error) => void this.shutdown(1, `supervisor error: ${error.stack ?? error.message}`));
    process.on('unhandledRejection', (error) => void this.shutdown(1, `supervisor error: ${String(error)}`));
    // Last resort: whatever is still running when this process exits is killed with it.
    process.on('exit', () => {
      for (const proc of this.running()) proc.kill('SIGKILL');
    });
  }

  /** Starts a child whose exit, at any time, stops the whole stack. */
  startEssential(spec: Essential, describe: (status: ExitStatus) => string): SupervisedProcess {
    const proc = this.spawn(spec);
    void proc.exited.then((status) => {
      if (!this.stopping) void this.shutdown(1, `${describe(status)}${lastWords(proc)}`);
    });
    return proc;
  }

  /**
   * Starts a child and resolves once it announced it is up. If its first start fails, the stack
   * stops (a failed start is a problem to fix, not to retry); later deaths are restarted.
   */
  async startRestartable(spec: Restartable): Promise<void> {
    const proc = this.spawn(spec);
    const outcome = await Promise.race([proc.ready.then(() => 'ready' as const), proc.exited]);
    if (outcome !== 'ready') {
      if (this.stopping) return;
      throw new StartFailure(`${spec.name} ${describeExit(outcome)} before it was up${lastWords(proc)}`);
    }
    this.keepRestarting(spec, proc, 0);
  }

  /**
   * Stops every child in reverse start order (the API and the worker drain before the server they
   * talk to goes), then resolves `finished` with `code`. The first call's reason and code win.
   */
  shutdown(code: number, reason?: string): Promise<number> {
    if (this.shutdownStarted) return this.shutdownStarted;
    this.aborter.abort();
    if (reason) this.log(code === 0 ? `${reason}: stopping` : `${reason}\n[dev] stopping everything`);
    this.shutdownStarted = (async () => {
      for (const proc of [...this.started].reverse()) {
        if (proc.running()) await proc.stop();
      }
      this.guard?.release();
      this.log(code === 0 ? 'stopped' : 'stopped (exit code 1)');
      this.resolveFinished(code);
      return code;
    })();
    return this.shutdownStarted;
  }

  /** A failure of the supervisor's own start sequence (tools, search attributes, a failed child start). */
  fail(error: unknown): Promise<number> {
    return this.shutdown(1, error instanceof Error ? error.message : String(error));
  }

  private spawn(spec: ProcessSpec): SupervisedProcess {
    const proc = startSupervised(spec, this.sink);
    this.started.push(proc);
    // The guard hears of the child before anyone else does.
    if (proc.pid !== undefined) {
      this.guard?.watch(proc.pid);
      const pid = proc.pid;
      void proc.exited.then(() => this.guard?.forget(pid));
    }
    this.log(`started ${spec.name} (pid ${String(proc.pid)})`);
    return proc;
  }

  private keepRestarting(spec: Restartable, proc: SupervisedProcess, quickDeaths: number): void {
    void proc.exited.then(async (status) => {
      if (this.stopping) return;
      const decision = decideRestart(quickDeaths, Date.now() - proc.startedAt);
      if (decision.action === 'give-up') {
        const young = `within ${RESTART_POLICY.stableAfterMs / 1000}s of starting`;
        await this.shutdown(
          1,
          `${spec.name} ${describeExit(status)}: ${decision.quickDeaths} deaths in a row, each ${young}; giving up${lastWords(proc)}`,
        );
        return;
      }
      this.log(`${spec.name} ${describeExit(status)}; restarting it in ${decision.delayMs / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
      if (this.stopping) return;
      const next = this.spawn(spec);
      void next.ready.then(() => this.log(`${spec.name} is up again`));
      this.keepRestarting(spec, next, decision.quickDeaths);
    });
  }
}
