import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stopLeftover } from './managed-process';

/**
 * Pid files of the processes a supervisor started, so the next start can stop what a killed
 * supervisor left behind (it cannot take its children down when it dies by SIGKILL).
 */
export class PidFiles {
  constructor(private readonly dir: string) {}

  /** `command`: a part of the process's command line that proves a reused pid is not ours. */
  record(name: string, pid: number | undefined, command: string): void {
    if (pid === undefined) return;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, `${name}.pid`), `${pid}\n${command}\n`);
  }

  forget(name: string): void {
    rmSync(path.join(this.dir, `${name}.pid`), { force: true });
  }

  /** Stops every recorded process still running the expected command; returns what it stopped. */
  async stopLeftovers(): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    const stopped: string[] = [];
    for (const file of readdirSync(this.dir).filter((name) => name.endsWith('.pid'))) {
      const name = file.slice(0, -'.pid'.length);
      const [pid, command = ''] = readFileSync(path.join(this.dir, file), 'utf8').split('\n');
      if (Number(pid) > 0 && command && (await stopLeftover(Number(pid), command, 'SIGTERM'))) stopped.push(`${name} (pid ${pid})`);
      this.forget(name);
    }
    return stopped;
  }
}
