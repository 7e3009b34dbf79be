import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWorkspacesFile, WorkspaceRegistry } from '../../../src/infra/auth/workspace-registry';
import { PROJECT_ROOT } from '../../../src/infra/tools';

const run = (args: string[], input?: string): Promise<{ stdout: string; stderr: string; code: number }> =>
  new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/hash-token.ts'), ...args],
      { cwd: PROJECT_ROOT },
      (error, stdout, stderr) => resolve({ stdout, stderr, code: typeof error?.code === 'number' ? error.code : 0 }),
    );
    child.stdin?.end(input ?? '');
  });

const registryOf = (entry: unknown) =>
  new WorkspaceRegistry(parseWorkspacesFile(JSON.stringify([{ apiKey: 'k', authTokens: [entry] }]), 'inline'));

describe('npm run hash-token', () => {
  it('prints a new random token and the entry that lets it in', async () => {
    const { stdout, code } = await run(['--role', 'member']);
    expect(code).toBe(0);
    const [, token, , entry] = stdout
      .trim()
      .split('\n')
      .map((line) => line.trim());
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await registryOf(JSON.parse(entry!)).authenticate('k', token!, 0))?.role).toBe('member');
  });

  it('hashes a token read from stdin, and refuses one shorter than 32 characters', async () => {
    const token = 'an-existing-token-0123456789abcdef';
    const { stdout } = await run(['--stdin'], `${token}\n`);
    expect((await registryOf(JSON.parse(stdout)).authenticate('k', token, 0))?.role).toBe('admin');
    const short = await run(['--stdin'], 'short');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('the token must be at least 32 characters');
  });
});
