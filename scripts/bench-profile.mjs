/**
 * Preloaded (`--import`) into the worker and API when `npm run bench -- --profile` runs. While the
 * file BENCH_PROFILE_FLAG exists, every thread of the process (the worker runs workflow code in a
 * worker thread of its own) records a V8 CPU profile; when the file goes, each writes
 * `<BENCH_PROFILE_DIR>/<BENCH_PROFILE_NAME>[-thread<N>].cpuprofile`. Unlike `node --cpu-prof` this
 * leaves out start-up (the workflow bundling) and covers only the measured phases (docs/bench.md,
 * "Profiling"). A file rather than a signal: threads see no signals, and the Temporal worker shuts
 * down on SIGUSR2. Plain JavaScript, since worker threads inherit `--import` without tsx.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';

const dir = process.env.BENCH_PROFILE_DIR;
const flag = process.env.BENCH_PROFILE_FLAG;
const name = `${process.env.BENCH_PROFILE_NAME ?? `process-${process.pid}`}${isMainThread ? '' : `-thread${threadId}`}`;

if (dir && flag) {
  const session = new Session();
  session.connect();
  /** @type {(method: string, params?: object) => Promise<{ profile?: object }>} */
  const post = (method, params = {}) =>
    new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  let running = false;
  let busy = false;
  let part = 0;
  setInterval(() => {
    if (busy || existsSync(flag) === running) return;
    busy = true;
    void (async () => {
      if (!running) {
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 500 });
        await post('Profiler.start');
        running = true;
        return;
      }
      const { profile } = await post('Profiler.stop');
      running = false;
      part += 1;
      writeFileSync(path.join(dir, `${name}${part > 1 ? `-${part}` : ''}.cpuprofile`), JSON.stringify(profile));
    })().finally(() => {
      busy = false;
    });
  }, 250).unref();
}
