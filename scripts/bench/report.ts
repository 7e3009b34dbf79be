/** The bench's report (docs/bench.md): one JSON document per run, its printout, and a comparison with an earlier run. */
import { round, type LatencyFigures, type P1Figures, type P2Figures, type P3Figures, type P4Point } from './measures';

export interface BenchReport {
  version: 1;
  startedAt: string;
  finishedAt: string;
  argv: string[];
  machine: { cpus: number; node: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  targets: typeof TARGETS;
  p1?: P1Figures;
  p2?: P2Figures;
  p3?: P3Figures;
  p4?: { small: P4Point; large: P4Point; decisionP50Ratio: number };
}

export const TARGETS = { p1RatioP50: 1.1, p1RatioP99: 1.25, p2RatioMin: 0.9, p4RssMiBMax: 1024, p4DecisionP50RatioMax: 1.5 };

const mark = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
const ms = (figures: LatencyFigures): string => `p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms (${figures.samples} samples)`;

/** Lines for the terminal: ratios first, the absolute times they come from after. */
export const formatReport = (report: BenchReport): string[] => {
  const lines: string[] = [];
  const load = (values: number[]): string => values.map((value) => value.toFixed(2)).join(' ');
  lines.push(`machine: ${report.machine.cpus} cpus, node ${report.machine.node}`);
  lines.push(`load average: before ${load(report.machine.loadAverageBefore)}, after ${load(report.machine.loadAverageAfter)}`);
  const { p1, p2, p3, p4 } = report;
  if (p1) {
    lines.push(
      `P1 decision latency ratio: p50 ${p1.ratioP50}x [target <= ${TARGETS.p1RatioP50}: ${mark(p1.ratioP50 <= TARGETS.p1RatioP50)}], ` +
        `p99 ${p1.ratioP99}x [target <= ${TARGETS.p1RatioP99}: ${mark(p1.ratioP99 <= TARGETS.p1RatioP99)}]`,
    );
    lines.push(`   engine REST decision: ${ms(p1.engine)}`);
    lines.push(`   raw executeUpdate:    ${ms(p1.raw)}`);
    if (p1.cpuPerDecisionMs) {
      lines.push(`   CPU ms per decision, engine: ${cpuLine(p1.cpuPerDecisionMs.engine)}`);
      lines.push(`   CPU ms per decision, raw:    ${cpuLine(p1.cpuPerDecisionMs.raw)}`);
    }
    if (p1.workflow) {
      lines.push(
        `   engine workflow, SDK executeUpdate (no API): ${ms(p1.workflow)}, ${round(p1.workflow.p50Ms / p1.raw.p50Ms, 3)}x raw p50`,
      );
    }
  }
  if (p2) {
    lines.push(
      `P2 dispatch throughput ratio at concurrency ${p2.concurrency}: ${p2.ratio}x [target >= ${TARGETS.p2RatioMin}: ${mark(p2.ratio >= TARGETS.p2RatioMin)}]`,
    );
    lines.push(`   engine ${p2.enginePerSecond}/s vs raw start ${p2.rawPerSecond}/s (${p2.rounds} x ${p2.perRound} each)`);
    if (p2.cpuPerStartMs) {
      lines.push(`   CPU ms per dispatch, engine: ${cpuLine(p2.cpuPerStartMs.engine)}`);
      lines.push(`   CPU ms per start, raw:       ${cpuLine(p2.cpuPerStartMs.raw)}`);
    }
    if (p2.engineFailures + p2.rawFailures > 0) {
      lines.push(`   FAILED starts: engine ${p2.engineFailures}, raw ${p2.rawFailures}; first: ${p2.firstError ?? ''}`);
    }
  }
  if (p3) {
    lines.push(
      `P3 history events per run: walkthrough ${p3.walkthrough}, parallel review ${p3.parallelReview}, 20-iteration loop ${p3.loop20}`,
    );
  }
  if (p4) {
    const rssOk = p4.large.rssMiB <= TARGETS.p4RssMiBMax;
    const p50Ok = p4.decisionP50Ratio <= TARGETS.p4DecisionP50RatioMax;
    lines.push(
      `P4 at ${p4.large.parked} parked: decision p50 ${p4.decisionP50Ratio}x the ${p4.small.parked}-parked figure ` +
        `[target <= ${TARGETS.p4DecisionP50RatioMax}: ${mark(p50Ok)}], worker RSS ${p4.large.rssMiB} MiB [target <= ${TARGETS.p4RssMiBMax}: ${mark(rssOk)}]`,
    );
    for (const point of [p4.small, p4.large]) {
      lines.push(
        `   ${point.parked} parked: decision ${ms(point.decision)}; worker RSS ${point.rssMiB} MiB (peak ${point.peakRssMiB} MiB)`,
      );
    }
  }
  return lines;
};

/** `server 14.2, rawWorker 4.1, bench 2.9 (total 21.2)`, the largest first. */
const cpuLine = (perProcess: Record<string, number>): string => {
  const entries = Object.entries(perProcess).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((sum, [, value]) => sum + value, 0);
  return `${entries.map(([name, value]) => `${name} ${value}`).join(', ')} (total ${round(total, 1)})`;
};

/** The headline figures of a report, by name. */
export const headline = (report: BenchReport): Record<string, number> => {
  const figures: Record<string, number | undefined> = {
    'P1 ratio p50': report.p1?.ratioP50,
    'P1 ratio p99': report.p1?.ratioP99,
    'P1 engine p50 ms': report.p1?.engine.p50Ms,
    'P1 raw p50 ms': report.p1?.raw.p50Ms,
    'P1 workflow-only p50 ms': report.p1?.workflow?.p50Ms,
    'P2 ratio': report.p2?.ratio,
    'P2 engine /s': report.p2?.enginePerSecond,
    'P2 raw /s': report.p2?.rawPerSecond,
    'P3 walkthrough events': report.p3?.walkthrough,
    'P3 parallel review events': report.p3?.parallelReview,
    'P3 loop20 events': report.p3?.loop20,
    'P4 decision p50 ratio': report.p4?.decisionP50Ratio,
    'P4 small decision p50 ms': report.p4?.small.decision.p50Ms,
    'P4 large decision p50 ms': report.p4?.large.decision.p50Ms,
    'P4 small RSS MiB': report.p4?.small.rssMiB,
    'P4 large RSS MiB': report.p4?.large.rssMiB,
  };
  return Object.fromEntries(Object.entries(figures).filter((entry): entry is [string, number] => entry[1] !== undefined));
};

/** One line per headline figure both runs have: before, after, change. */
export const compareReports = (before: BenchReport, after: BenchReport): string[] => {
  const old = headline(before);
  const now = headline(after);
  const lines = [`compared with the run of ${before.startedAt} (load ${before.machine.loadAverageBefore[0]?.toFixed(2)}):`];
  for (const [name, value] of Object.entries(now)) {
    const previous = old[name];
    if (previous === undefined) continue;
    const change = previous === 0 ? '' : ` (${value >= previous ? '+' : ''}${(((value - previous) / previous) * 100).toFixed(1)}%)`;
    lines.push(`   ${name}: ${previous} -> ${value}${change}`);
  }
  return lines;
};
