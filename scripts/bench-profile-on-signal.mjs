/**
 * Preloaded (`--import`) into the worker and API when `npm run bench -- --profile` runs: the first
 * SIGWINCH starts the V8 CPU profiler, the second writes `<BENCH_PROFILE_DIR>/<BENCH_PROFILE_NAME>.cpuprofile`.
 * Unlike `node --cpu-prof` this leaves out start-up (the workflow bundling) and covers only the
 * measured phases (docs/bench.md, "Profiling"). SIGWINCH, not SIGUSR2: the Temporal worker shuts down on SIGUSR2. Plain JavaScript: worker threads inherit the
 * flag without the TypeScript loader; there (not the main thread) it does nothing.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.BENCH_PROFILE_DIR;
const name = process.env.BENCH_PROFILE_NAME ?? `process-${process.pid}`;

if (dir && isMainThread) {
  const session = new Session();
  session.connect();
  /** @type {(method: string, params?: object) => Promise<{ profile?: object }>} */
  const post = (method, params = {}) =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  let running = false;
  let part = 0;
  process.on('SIGWINCH', () => {
    void (async () => {
      if (!running) {
        running = true;
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 500 });
        await post('Profiler.start');
        return;
      }
      running = false;
      const { profile } = await post('Profiler.stop');
      part += 1;
      const file = path.join(dir, `${name}${part > 1 ? `-${part}` : ''}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.error(`cpu profile written: ${file}`);
    })();
  });
}
