/**
 * `npm run bench`: the engine against the raw Temporal SDK on one dev server the bench starts
 * itself (docs/bench.md). Prints P1-P4 and writes them as JSON to .data/bench/<timestamp>.json.
 *
 *   --parked N        P4's large size (default 10000); --small-parked N (default 10)
 *   --samples N       P1 decisions per side (default 300); --decisions N: P4 decisions per size (default 100)
 *   --dispatches N    P2 starts per round and side (default 640), --rounds N (default 2), --concurrency N (default 64)
 *   --phases p1,p2,p3,p4   which figures to take (default all)
 *   --compare FILE    prints the change against an earlier run's JSON ("last": the newest in .data/bench)
 *   --out FILE        where to write the JSON
 *   --fetch           the engine's REST client is undici's fetch instead of node:http (docs/bench.md, "The REST client")
 *   --profile         CPU-profiles the worker and the API during P1 and P2 (see scripts/bench/profile-summary.ts)
 *   --worker-cache N  the engine worker's APPROVAL_WORKER_MAX_CACHED_WORKFLOWS (default: the worker's own default)
 *   --worker-heap MiB the engine worker's V8 heap limit (--max-old-space-size; default: the engine's, 768; 0: Node's)
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dataDir } from '../src/infra/tools';
import {
  EngineDriver,
  measureDecisionLatency,
  measureDispatchThroughput,
  measureHistoryEvents,
  measureParked,
  round,
} from './bench/measures';
import { TARGETS, compareReports, formatReport, type BenchReport } from './bench/report';
import { startStack } from './bench/stack';
import { fetchPost, nodeHttpPost } from './bench/rest-client';

const { values } = parseArgs({
  options: {
    parked: { type: 'string', default: '10000' },
    'small-parked': { type: 'string', default: '10' },
    samples: { type: 'string', default: '300' },
    decisions: { type: 'string', default: '100' },
    dispatches: { type: 'string', default: '640' },
    rounds: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '64' },
    phases: { type: 'string', default: 'p1,p2,p3,p4' },
    compare: { type: 'string' },
    out: { type: 'string' },
    profile: { type: 'boolean', default: false },
    fetch: { type: 'boolean', default: false },
    'worker-cache': { type: 'string' },
    'worker-heap': { type: 'string' },
  },
});

const count = (name: keyof typeof values): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};
const say = (message: string): void => console.log(`[bench] ${message}`);
const phases = new Set(String(values.phases).split(','));
const benchDir = path.join(dataDir(), 'bench');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');

const lastReport = (): string | undefined => {
  const files = readdirSync(benchDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  return files.length > 0 ? path.join(benchDir, files.at(-1)!) : undefined;
};

mkdirSync(benchDir, { recursive: true });
const compareWith = values.compare === 'last' ? lastReport() : values.compare;
const profileDir = values.profile ? path.join(benchDir, 'profiles', stamp) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const report: BenchReport = {
  version: 1,
  startedAt: new Date().toISOString(),
  finishedAt: '',
  argv: process.argv.slice(2),
  machine: { cpus: os.cpus().length, node: process.version, loadAverageBefore: os.loadavg().map((v) => round(v)), loadAverageAfter: [] },
  targets: TARGETS,
};

const workerCache = values['worker-cache'] === undefined ? undefined : count('worker-cache');
const workerHeapMiB = values['worker-heap'] === '0' ? 0 : values['worker-heap'] === undefined ? undefined : count('worker-heap');
const stack = await startStack({ dir: path.join(benchDir, 'run', stamp), profileDir, workerCache, workerHeapMiB, log: say });
// Interrupted: the worker, API and servers it started must not outlive it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping what the bench started`);
    void stack.close().finally(() => process.exit(130));
  });
}
let exitCode = 0;
try {
  const engine = new EngineDriver(stack, values.fetch ? fetchPost() : nodeHttpPost());
  await engine.setUp();
  const concurrency = count('concurrency');
  const decisions = count('decisions');
  let small;
  if (phases.has('p4')) {
    say(`P4: ${count('small-parked')} parked runs`);
    small = await measureParked(engine, stack, { parked: count('small-parked'), decisions, concurrency, log: say });
  }
  await stack.toggleProfiles();
  if (phases.has('p1')) {
    say(`P1: ${count('samples')} decisions each way`);
    report.p1 = await measureDecisionLatency(engine, stack, count('samples'));
  }
  if (phases.has('p2')) {
    say(`P2: ${count('rounds')} rounds of ${count('dispatches')} starts each way at concurrency ${concurrency}`);
    report.p2 = await measureDispatchThroughput(engine, stack, { concurrency, perRound: count('dispatches'), rounds: count('rounds') });
  }
  await stack.toggleProfiles();
  if (phases.has('p3')) {
    say('P3: walkthrough, parallel review, 20-iteration loop');
    report.p3 = await measureHistoryEvents(engine, stack);
  }
  if (small) {
    say(`P4: ${count('parked')} parked runs`);
    const large = await measureParked(engine, stack, { parked: count('parked'), decisions, concurrency, log: say });
    report.p4 = { small, large, decisionP50Ratio: round(large.decision.p50Ms / small.decision.p50Ms, 3) };
  }
} catch (error) {
  exitCode = 1;
  console.error(error);
} finally {
  await stack.close();
}
report.finishedAt = new Date().toISOString();
report.machine.loadAverageAfter = os.loadavg().map((v) => round(v));
const out = values.out ?? path.join(benchDir, `${stamp}.json`);
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
for (const line of formatReport(report)) console.log(line);
if (compareWith) {
  const before = JSON.parse(readFileSync(compareWith, 'utf8')) as BenchReport;
  for (const line of compareReports(before, report)) console.log(line);
}
if (profileDir) say(`CPU profiles in ${profileDir} (summarise: npx tsx scripts/bench/profile-summary.ts ${profileDir}/*.cpuprofile)`);
say(`report written to ${out}`);
process.exit(exitCode);
