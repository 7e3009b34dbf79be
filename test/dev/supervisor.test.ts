import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../src/infra/tools';
import { fakeCli, groupMembers, isRunning, removeFakeClis, startDev, waitUntil, type DevRun } from './support/dev-process';

/**
 * `npm start` (scripts/dev.ts) with real processes: a real dev server, worker and API, or stand-in
 * CLIs that are slow, broken or never answer. Every test checks by pid that nothing is left behind.
 */
let realCli: string;
const runs: DevRun[] = [];

beforeAll(async () => {
  const cli = await ensureTemporalCli(() => undefined);
  if (cli.kind !== 'path') throw new Error('the supervisor tests need the temporal CLI (npm run tools builds it)');
  realCli = cli.path;
});
afterEach(() => {
  for (const run of runs.splice(0)) run.cleanUp();
});
afterAll(removeFakeClis);

const start = async (cliPath: string): Promise<DevRun> => {
  const run = await startDev(cliPath);
  runs.push(run);
  return run;
};

const children = (run: DevRun): number[] => ['temporal', 'worker', 'api'].flatMap((name) => run.pidsOf(name));

const expectAllGone = async (pids: number[]): Promise<void> => {
  expect(pids.length).toBeGreaterThan(0);
  await waitUntil(() => pids.every((pid) => !isRunning(pid)), `pids ${pids.join(', ')} to exit`);
};

describe('npm start supervisor', () => {
  it('waits for a slow dev server while it lives, restarts a killed worker, and stops every child on SIGTERM', async () => {
    // A first start on a slow machine: nothing answers for 20 s.
    const run = await start(fakeCli(`sleep 20\nexec '${realCli}' "$@"`));
    await run.waitForLine(/^\[dev\] still waiting for Temporal at .* \(1\ds/);
    await run.waitForLine(/^\[dev\] up$/);
    const [worker] = run.pidsOf('worker');
    expect(children(run).every(isRunning)).toBe(true);
    const health = await fetch(`http://127.0.0.1:${run.apiPort}/healthz`);
    expect(health.status).toBe(200);

    process.kill(worker!, 'SIGKILL');
    await run.waitForLine(/^\[dev\] worker was killed by SIGKILL; restarting it in 1s$/);
    await run.waitForLine(/^\[dev\] worker is up again$/);
    const [, restarted] = run.pidsOf('worker');
    expect(restarted).toBeDefined();
    expect(isRunning(restarted!)).toBe(true);
    expect(run.output.some((line) => line.startsWith('[worker]') && line.includes('asset '))).toBe(false);

    process.kill(run.pid, 'SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    await expectAllGone(children(run));
  });

  it('stops the dev server and the worker when the API fails to start', async () => {
    const blocker: Server = createServer();
    const run = await start(realCli);
    await new Promise<void>((resolve) => blocker.listen(run.apiPort, '127.0.0.1', resolve));
    try {
      expect(await run.exited).toEqual({ code: 1, signal: null });
    } finally {
      blocker.close();
    }
    expect(run.output.join('\n')).toMatch(/\[dev\] api exited with code 1 before it was up; its last lines:[\s\S]*EADDRINUSE/);
    expect(run.pidsOf('temporal')).toHaveLength(1);
    await expectAllGone(children(run));
  });

  it('reports a dev server that exits before it answers, with its last lines, instead of waiting', async () => {
    const run = await start(fakeCli('echo "listen tcp 127.0.0.1:7233: bind: address already in use" >&2\nexit 3'));
    expect(await run.exited).toEqual({ code: 1, signal: null });
    const output = run.output.join('\n');
    expect(output).toMatch(/\[dev\] the Temporal dev server exited with code 3/);
    expect(output).toContain('bind: address already in use');
    expect(run.pidsOf('worker')).toEqual([]);
    await expectAllGone(children(run));
  });

  it('leaves no child behind when the supervisor itself is killed with SIGKILL', async () => {
    // The stand-in never answers; its `sleep` is a grandchild in the same process group.
    const run = await start(fakeCli('sleep 600'));
    const line = await run.waitForLine(/^\[dev\] started temporal \(pid \d+\)/);
    const server = Number(/pid (\d+)/.exec(line)![1]);
    await waitUntil(() => groupMembers(server).length === 2, 'the stand-in server and its sleep to run');

    process.kill(run.pid, 'SIGKILL');
    await run.exited;
    await waitUntil(
      () => groupMembers(server).length === 0,
      'the orphan guard to stop the server group',
      30_000,
      () =>
        `(still running: ${groupMembers(server).join(', ')}; supervisor group: ${groupMembers(run.pid).join(', ')}; output:\n${run.output.join('\n')})`,
    );
  });
});
