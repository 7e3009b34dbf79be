/**
 * CPU time of the bench's processes, from /proc (Linux): user plus system time of every thread of a
 * process. P1 and P2 report it per operation and process, so a ratio comes with where its time went
 * (docs/bench.md, "CPU per operation").
 */
import { readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
const MS_PER_TICK = 10;

export type ProcessIds = Record<string, number>;
export type CpuSnapshot = Record<string, number>;

/** CPU time used so far by `pid`, in ms (0 once the process is gone). */
export const cpuMsOf = (pid: number): number => {
  try {
    // The command name may hold spaces and parentheses: the fields start after its last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
};

/** Every process's CPU so far, and this process's own under `bench`. */
export const cpuSnapshot = (pids: ProcessIds): CpuSnapshot => {
  const own = process.cpuUsage();
  return {
    ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMsOf(pid)])),
    bench: (own.user + own.system) / 1000,
  };
};

/** CPU ms per operation of each process between two snapshots (processes that used none are left out). */
export const cpuPerOperation = (before: CpuSnapshot, after: CpuSnapshot, operations: number): Record<string, number> =>
  Object.fromEntries(
    Object.keys(after)
      .map((name) => [name, Math.round(((after[name]! - (before[name] ?? 0)) / operations) * 100) / 100] as const)
      .filter(([, perOperation]) => perOperation > 0),
  );
