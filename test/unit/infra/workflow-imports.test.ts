import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../../src/infra/worker/workflows-path';

/**
 * Every module the workflow bundle imports is evaluated again for each workflow the worker caches
 * (docs/bench.md, "Worker memory"), so a package that only validation needs must stay out of it.
 * This walks the value imports (not `import type`) from the workflow entry point.
 */
const valueImports = (file: string): string[] => {
  const source = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'/gms)) {
    if (match[1] === undefined) specifiers.push(match[2]!);
  }
  return specifiers;
};

const resolveLocal = (from: string, specifier: string): string | undefined => {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      if (candidate.endsWith('.ts')) {
        readFileSync(candidate);
        return candidate;
      }
    } catch {
      // next candidate
    }
  }
  return undefined;
};

const packagesReached = (entry: string): Map<string, string> => {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      const local = resolveLocal(file, specifier);
      if (local) visit(local);
      else if (!specifier.startsWith('.') && !packages.has(specifier)) packages.set(specifier, path.relative(process.cwd(), file));
    }
  };
  visit(entry);
  return packages;
};

describe('the workflow bundle', () => {
  // zod stays out: the plan narrows a stored webhook node config with plain code (webhook-node-rules.ts).
  it('imports no server-side package', () => {
    const reached = packagesReached(WORKFLOWS_PATH);
    const names = [...reached.keys()];
    expect(names.sort()).toEqual(['@temporalio/common', '@temporalio/workflow', 're2js']);
    expect(reached.has('zod')).toBe(false);
  });
});
