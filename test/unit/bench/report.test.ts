import { describe, expect, it } from 'vitest';
import { latencyFigures, percentile } from '../../../scripts/bench/measures';
import { compareReports, formatReport, headline, TARGETS, type BenchReport } from '../../../scripts/bench/report';

const point = (parked: number, p50Ms: number, rssMiB: number) => ({
  parked,
  decision: { samples: 100, p50Ms, p99Ms: p50Ms * 2 },
  rssMiB,
  peakRssMiB: rssMiB + 10,
});

/** A report as `npm run bench` writes it (figures made up: the shape is what is tested). */
const report = (scale = 1): BenchReport => ({
  version: 1,
  startedAt: '2026-11-27T12:00:00.000Z',
  finishedAt: '2026-11-27T12:10:00.000Z',
  argv: ['--parked', '100'],
  machine: { cpus: 2, node: 'v20', loadAverageBefore: [1, 1, 1], loadAverageAfter: [2, 2, 2] },
  targets: TARGETS,
  p1: {
    engine: { samples: 300, p50Ms: 15 * scale, p99Ms: 30 },
    raw: { samples: 300, p50Ms: 12, p99Ms: 25 },
    ratioP50: 1.25 * scale,
    ratioP99: 1.2,
  },
  p2: { concurrency: 64, perRound: 640, rounds: 2, enginePerSecond: 64, rawPerSecond: 80, ratio: 0.8, engineFailures: 0, rawFailures: 0 },
  p3: { walkthrough: 17, parallelReview: 28, loop20: 232 },
  p4: { small: point(10, 20, 300), large: point(100, 22, 900 * scale), decisionP50Ratio: 1.1 },
});

describe('the bench report', () => {
  it('has every headline figure of P1 to P4', () => {
    expect(Object.keys(headline(report()))).toEqual([
      'P1 ratio p50',
      'P1 ratio p99',
      'P1 engine p50 ms',
      'P1 raw p50 ms',
      'P2 ratio',
      'P2 engine /s',
      'P2 raw /s',
      'P3 walkthrough events',
      'P3 parallel review events',
      'P3 loop20 events',
      'P4 decision p50 ratio',
      'P4 small decision p50 ms',
      'P4 large decision p50 ms',
      'P4 small RSS MiB',
      'P4 large RSS MiB',
    ]);
  });

  it('prints ratios against the targets and the load average', () => {
    const text = formatReport(report()).join('\n');
    expect(text).toContain('load average: before 1.00 1.00 1.00');
    expect(text).toContain('P1 decision latency ratio: p50 1.25x [target <= 1.1: MISSED], p99 1.2x [target <= 1.25: ok]');
    expect(text).toContain('P2 dispatch throughput ratio at concurrency 64: 0.8x [target >= 0.9: MISSED]');
    expect(text).toContain('P3 history events per run: walkthrough 17, parallel review 28, 20-iteration loop 232');
    expect(text).toContain('worker RSS 900 MiB [target <= 1024: ok]');
  });

  it('prints only the figures a run took', () => {
    const { p2: _p2, p3: _p3, p4: _p4, ...onlyP1 } = report();
    const text = formatReport(onlyP1).join('\n');
    expect(text).toContain('P1 decision');
    expect(text).not.toContain('P2');
  });

  it('compares each headline figure with an earlier run', () => {
    const lines = compareReports(report(), report(2));
    expect(lines).toContain('   P1 ratio p50: 1.25 -> 2.5 (+100.0%)');
    expect(lines).toContain('   P3 loop20 events: 232 -> 232 (+0.0%)');
  });
});

describe('percentiles', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(latencyFigures([3, 1, 2])).toEqual({ samples: 3, p50Ms: 2, p99Ms: 3 });
  });
});
