import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../net/free-port';

const TRAINING_DEADLINE_MS = 180_000;

const answers = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Starts the test server once with `-XX:ArchiveClassesAtExit` and stops it when it listens: the JVM
 * writes the classes it loaded to `archive`. Later starts map that archive instead of loading and
 * verifying thousands of classes, which cuts the start several-fold (the SDK gives the server 5 s
 * to listen, which a loaded machine can miss). Returns false when no archive could be made; the
 * server then starts without one.
 */
export const trainClassArchive = async (javaArgs: (extra: string[]) => string[], archive: string): Promise<boolean> => {
  const partial = `${archive}.partial`;
  rmSync(partial, { force: true });
  const port = await freePort();
  const child = spawn('java', [...javaArgs([`-XX:ArchiveClassesAtExit=${partial}`]), String(port), '--enable-time-skipping'], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + TRAINING_DEADLINE_MS;
  let listening = false;
  while (!listening && Date.now() < deadline && child.exitCode === null) {
    listening = await answers(port);
    if (!listening) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGTERM');
  await exited;
  if (!listening || !existsSync(partial)) {
    rmSync(partial, { force: true });
    return false;
  }
  renameSync(partial, archive);
  return true;
};
