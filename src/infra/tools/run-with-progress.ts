import { spawn } from 'node:child_process';

export interface ProgressOptions {
  label: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Lines of output that mark a unit of progress (e.g. a compiled package). */
  countLine?: (line: string) => boolean;
  log: (message: string) => void;
}

/**
 * Runs a long tool build, printing a heartbeat with elapsed time and progress count,
 * and keeping the tail of its output to explain a failure.
 */
export const runWithProgress = (command: string, args: string[], options: ProgressOptions): Promise<void> =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const tail: string[] = [];
    let units = 0;
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        if (options.countLine?.(line)) units += 1;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const heartbeat = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      options.log(`${options.label}: still working (${seconds}s elapsed${options.countLine ? `, ${units} steps done` : ''})`);
    }, 15_000);
    child.on('error', (error) => {
      clearInterval(heartbeat);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code === 0) {
        options.log(`${options.label}: done in ${seconds}s`);
        resolve();
      } else {
        reject(new Error(`${options.label} failed (exit ${code}) after ${seconds}s:\n${tail.join('\n')}`));
      }
    });
  });
