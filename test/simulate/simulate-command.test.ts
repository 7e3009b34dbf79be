import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const simulate = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(path.join(root, 'node_modules/.bin/tsx'), ['scripts/simulate.ts', ...args], { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('npm run simulate: bad input', () => {
  it('exits 2 naming the scenario field, the missing flag or the unreadable file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'simulate-'));
    const scenario = path.join(dir, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ steps: [{ at: 'tomorrow', decide: { node: 'n', reviewer: 'u', decision: 'approve' } }] }));

    const invalid = await simulate('--definition', 'examples/sla-escalation/definition.json', '--script', scenario);
    expect(invalid.stderr).toContain('scenario.steps[0].at: must be a duration');
    expect(invalid.code).toBe(2);

    const missing = await simulate('--definition', 'examples/sla-escalation/definition.json');
    expect(missing.stderr).toContain('--script is required');
    expect(missing.code).toBe(2);

    const unreadable = await simulate('--definition', path.join(dir, 'none.json'), '--script', scenario);
    expect(unreadable.stderr).toContain(`--definition ${path.join(dir, 'none.json')}: ENOENT`);
    expect(unreadable.code).toBe(2);
  });
});
