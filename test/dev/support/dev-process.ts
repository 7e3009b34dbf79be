import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { OrphanGuard } from '../../../src/infra/dev/orphan-guard';
import { PROJECT_ROOT } from '../../../src/infra/tools';
import { freePort } from '../../support/free-port';

export interface DevRun {
  pid: number;
  apiPort: number;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first output line matching `pattern` (seen before or after the call). */
  waitForLine: (pattern: RegExp, timeoutMs?: number) => Promise<string>;
  /** Every pid the supervisor reported for `name` ("started worker (pid 123)"), oldest first. */
  pidsOf: (name: string) => number[];
  /** Kills the supervisor's group and every child group it reported, and removes its data (test cleanup). */
  cleanUp: () => void;
}

/** A process is gone when /proc no longer lists it or it is a zombie nobody reaped yet. */
export const isRunning = (pid: number): boolean => {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    const state = readFileSync(stat, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
};

/** Live processes of a process group (a supervised child leads its own). */
export const groupMembers = (pgid: number): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ');
        return Number(fields[2]) === pgid && fields[0] !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);

export const waitUntil = async (check: () => boolean, label: string, timeoutMs = 30_000, explain = (): string => ''): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label} ${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

const fakeCliDirs: string[] = [];

/** A stand-in `temporal` CLI: a shell script (e.g. one that sleeps, then runs the real CLI). */
export const fakeCli = (body: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-temporal-'));
  fakeCliDirs.push(dir);
  const file = path.join(dir, 'temporal');
  writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
};

export const removeFakeClis = (): void => {
  for (const dir of fakeCliDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
};

/**
 * Runs `npm start`'s supervisor (scripts/dev.ts) as its own process on free ports and a fresh data
 * folder, with `cliPath` as the temporal CLI.
 */
export const startDev = async (cliPath: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<DevRun> => {
  const apiPort = await freePort();
  const dataDirectory = mkdtempSync(path.join(tmpdir(), 'dev-data-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_CLI_PATH: cliPath,
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    TEMPORAL_UI_PORT: String(await freePort()),
    PORT: String(apiPort),
    APPROVAL_DATA_DIR: dataDirectory,
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/dev.ts')], {
    env,
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If this test process dies, the guard stops the supervisor, which stops its children.
  const guard = OrphanGuard.start();
  guard.watch(child.pid!);
  const output: string[] = [];
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      for (const listener of listeners) listener();
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      guard.forget(child.pid!);
      resolve({ code, signal });
    }),
  );
  const waitForLine = (pattern: RegExp, timeoutMs = 180_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const line = output.find((candidate) => pattern.test(candidate));
        if (line === undefined) return false;
        listeners.delete(listener);
        clearTimeout(timer);
        resolve(line);
        return true;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`no line matching ${String(pattern)} within ${timeoutMs} ms; output:\n${output.join('\n')}`));
      }, timeoutMs);
      listeners.add(listener);
      check();
    });
  const pidsOf = (name: string): number[] =>
    output.flatMap((line) => {
      const match = new RegExp(`^\\[dev\\] started ${name} \\(pid (\\d+)\\)`).exec(line);
      return match ? [Number(match[1])] : [];
    });
  const cleanUp = (): void => {
    guard.release();
    for (const pid of [child.pid!, ...['temporal', 'worker', 'api'].flatMap(pidsOf)]) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dataDirectory, { recursive: true, force: true });
  };
  return { pid: child.pid!, apiPort, output, exited, waitForLine, pidsOf, cleanUp };
};
