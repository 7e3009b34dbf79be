import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited, with its code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Signals the process, waits for it to exit, and kills it after `graceMs`. */
  stop: (signal?: NodeJS.Signals, graceMs?: number) => Promise<void>;
  /** The last lines of its output, to explain a failure. */
  tail: () => string;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  onLine?: (line: string) => void;
}

/**
 * Starts a long-running child in its own process group, so a Ctrl-C in the terminal reaches only
 * the supervisor, which then stops the children in order (API and workers, the server, the database).
 */
export const startProcess = (name: string, command: string, args: string[], options: StartOptions = {}): ManagedProcess => {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      // Temporal logs a stack trace on one line; the head of each line is what explains a failure.
      lines.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
      if (lines.length > 40) lines.shift();
      options.onLine?.(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      lines.push(`${name}: ${error.message}`);
      resolve(-1);
    });
  });
  const running = (): boolean => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> => {
    if (!running()) return;
    child.kill(signal);
    const timer = setTimeout(() => {
      if (running()) child.kill('SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, exited, stop, tail: () => lines.join('\n') };
};

/** A process left running by a supervisor that was killed: stop it before starting anew. */
export const stopLeftover = async (pid: number, expectedCommand: string, signal: NodeJS.Signals, graceMs = 30_000): Promise<boolean> => {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return false;
  }
  if (!cmdline.includes(expectedCommand)) return false;
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.kill(pid, 'SIGKILL');
  return true;
};
