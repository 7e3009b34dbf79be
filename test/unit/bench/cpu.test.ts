import { describe, expect, it } from 'vitest';
import { cpuMsOf, cpuPerOperation, cpuSnapshot } from '../../../scripts/bench/cpu';

describe('the bench CPU accounting (docs/bench.md, "CPU per operation")', () => {
  it('reads a live process its CPU time, which grows as it works', () => {
    const before = cpuMsOf(process.pid);
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin += 1;
    expect(spin).toBeGreaterThan(0);
    expect(cpuMsOf(process.pid)).toBeGreaterThan(before);
  });

  it('answers 0 for a process that is gone', () => {
    expect(cpuMsOf(2 ** 22 + 17)).toBe(0);
  });

  it('divides each process its CPU by the operations, leaving out those that used none', () => {
    expect(cpuPerOperation({ server: 100, api: 50, rawWorker: 10 }, { server: 1_100, api: 50, rawWorker: 30 }, 400)).toEqual({
      server: 2.5,
      rawWorker: 0.05,
    });
  });

  it("snapshots this process's own CPU as bench", () => {
    const snapshot = cpuSnapshot({ self: process.pid });
    expect(Object.keys(snapshot).sort()).toEqual(['bench', 'self']);
    expect(snapshot.bench).toBeGreaterThan(0);
  });
});
