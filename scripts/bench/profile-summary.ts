/**
 * Summarises V8 CPU profiles (`.cpuprofile`, as `npm run bench -- --profile` writes them): self
 * time by function and by file (or package), the top entries of each (docs/bench.md, "Profiling").
 *
 *   npx tsx scripts/bench/profile-summary.ts <file.cpuprofile>... [--top N]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** `node_modules/<pkg>` for dependencies, the project-relative path for our own files. */
export const fileKey = (url: string): string => {
  if (url === '') return '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const inModules = clean.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const rest = clean.slice(inModules + 'node_modules/'.length).split('/');
    return `npm:${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return path.relative(process.cwd(), clean) || clean;
};

export const summarise = (profile: Profile): { totalMs: number; byFunction: Map<string, number>; byFile: Map<string, number> } => {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    const file = fileKey(frame.url);
    const fn = `${frame.functionName || '(anonymous)'} ${file}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us / 1000);
    byFile.set(file, (byFile.get(file) ?? 0) + us / 1000);
  }
  return { totalMs: totalUs / 1000, byFunction, byFile };
};

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
const files = args.filter((arg, index) => arg !== '--top' && index !== topAt + 1);
for (const file of files) {
  const { totalMs, byFunction, byFile } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const idle = byFunction.get('(idle) (native)') ?? 0;
  console.log(`\n== ${file}: ${totalMs.toFixed(0)} ms sampled, ${(totalMs - idle).toFixed(0)} ms busy (not idle)`);
  const show = (title: string, map: Map<string, number>): void => {
    console.log(`-- self time by ${title}`);
    for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${name}`);
    }
  };
  show('file or package', byFile);
  show('function', byFunction);
}
