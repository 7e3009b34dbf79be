import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isReadyMessage } from './ready-signal';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Open an IPC channel, so a Node child can announce it is up (see ready-signal.ts). */
  ipc?: boolean;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. the command does not exist). */
  error?: Error;
}

export interface SupervisedProcess {
  name: string;
  pid: number | undefined;
  startedAt: number;
  child: ChildProcess;
  /** Resolves when the process announced it is up; never resolves if it exits first. */
  ready: Promise<void>;
  exited: Promise<ExitStatus>;
  running: () => boolean;
  /** The last lines it printed, to explain a failure. */
  tail: () => string[];
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop: (graceMs?: number) => Promise<ExitStatus>;
  /** Sends `signal` to its whole process group at once. */
  kill: (signal: NodeJS.Signals) => void;
}

export type LineSink = (name: string, line: string) => void;

const TAIL_LINES = 30;
const OUTPUT_DRAIN_MS = 1_000;

export const prefixToStdout: LineSink = (name, line) => {
  process.stdout.write(`[${name}] ${line}\n`);
};

export const describeExit = ({ code, signal, error }: ExitStatus): string =>
  error ? `could not start: ${error.message}` : signal ? `was killed by ${signal}` : `exited with code ${String(code)}`;

/**
 * Starts a child in its own process group (so a stop reaches anything it spawned, and a Ctrl-C on
 * the terminal reaches only the supervisor, which stops the children in order) and forwards its
 * output line by line.
 */
export const startSupervised = (spec: ProcessSpec, sink: LineSink = prefixToStdout): SupervisedProcess => {
  const child = spawn(spec.command, spec.args, {
    env: spec.env,
    detached: true,
    stdio: spec.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      sink(spec.name, line);
    });
  }
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error });
    });
    // 'close' comes once its output is fully read (the tail then holds its last words); a grandchild
    // that inherited the pipes must not hold that up for long.
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('exit', (code, signal) => setTimeout(() => resolve({ code, signal }), OUTPUT_DRAIN_MS).unref());
  });
  const ready = new Promise<void>((resolve) => {
    child.on('message', (message) => {
      if (isReadyMessage(message)) resolve();
    });
  });
  const running = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const kill = (signal: NodeJS.Signals): void => {
    if (!running() || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  const stop = async (graceMs = 10_000): Promise<ExitStatus> => {
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    const status = await exited;
    clearTimeout(timer);
    return status;
  };
  return { name: spec.name, pid: child.pid, startedAt: Date.now(), child, ready, exited, running, tail: () => [...lines], stop, kill };
};
