import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * A tiny watchdog process holding one end of a pipe from the supervisor. When the supervisor
 * disappears by any means (SIGKILL, crash, a closed terminal) the pipe closes and the guard stops
 * every process group it was told about: SIGTERM, then SIGKILL 5 s later. It ignores SIGINT and
 * SIGHUP, which a terminal sends to the whole foreground group: the pipe alone decides.
 */
const GUARD_SCRIPT = `
const groups = new Set();
for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => {});
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    const pid = Number(line.slice(1));
    if (line[0] === '+') groups.add(pid);
    else groups.delete(pid);
  }
});
process.stdin.on('end', () => {
  if (groups.size === 0) process.exit(0);
  const signalAll = (signal) => {
    for (const pid of groups) {
      try { process.kill(-pid, signal); } catch {}
    }
  };
  signalAll('SIGTERM');
  setTimeout(() => { signalAll('SIGKILL'); process.exit(0); }, 5000);
});
`;

export class OrphanGuard {
  private constructor(private readonly guard: ChildProcess) {}

  static start(): OrphanGuard {
    const guard = spawn(process.execPath, ['-e', GUARD_SCRIPT], { stdio: ['pipe', 'ignore', 'inherit'] });
    // Neither the guard nor its pipe keeps the supervisor alive.
    guard.unref();
    (guard.stdin as Socket | null)?.unref();
    // A guard that died is no reason to fail the stack; the supervisor still stops its children itself.
    guard.stdin?.on('error', () => undefined);
    return new OrphanGuard(guard);
  }

  get pid(): number | undefined {
    return this.guard.pid;
  }

  /** `pid` leads a process group (a detached child) the guard must stop if the supervisor vanishes. */
  watch(pid: number): void {
    this.guard.stdin?.write(`+${pid}\n`);
  }

  forget(pid: number): void {
    this.guard.stdin?.write(`-${pid}\n`);
  }

  /** The supervisor has stopped everything itself: let the guard exit. */
  release(): void {
    this.guard.stdin?.end();
  }
}
