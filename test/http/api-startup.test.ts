import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/infra/auth/workspace-registry';
import { startProcess } from '../../src/infra/cluster/managed-process';
import { PROJECT_ROOT } from '../../src/infra/tools';

const TOKEN = 'an-old-deployment-token-0123456789';

/** The API process as deployed (src/main/api.ts), until it listens or exits; its output lines. */
const runApi = async (env: NodeJS.ProcessEnv): Promise<{ lines: string[]; exitCode: number | null | 'listening' }> => {
  const lines: string[] = [];
  let listening: () => void = () => undefined;
  const listens = new Promise<'listening'>((resolve) => {
    listening = () => resolve('listening');
  });
  const api = startProcess('api', process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/main/api.ts')], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', TEMPORAL_ADDRESS: '127.0.0.1:1', ...env },
    onLine: (line) => {
      lines.push(line);
      if (line.includes('API listening on')) listening();
    },
  });
  try {
    const exitCode = await Promise.race([listens, api.exited]);
    return { lines, exitCode };
  } finally {
    await api.stop('SIGTERM', 5_000);
  }
};

describe('the API at start', () => {
  it('still accepts a workspaces file of sha256 entries, and warns that they are deprecated', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'api-start-'));
    const file = path.join(dir, 'workspaces.json');
    writeFileSync(file, JSON.stringify([{ apiKey: 'legacy', authTokens: [{ sha256: sha256Hex(TOKEN), role: 'admin' }] }]));
    const { lines, exitCode } = await runApi({ APPROVAL_WORKSPACES_FILE: file });
    expect(exitCode).toBe('listening');
    expect(lines.join('\n')).toContain(
      'APPROVAL_WORKSPACES_FILE: 1 token(s) stored as unsalted \\"sha256\\" (workspaces[0].authTokens[0]); this is deprecated',
    );
  });

  it.each([
    ['APPROVAL_SECRETS_KEY', 'a-malformed-but-secret-key-value'],
    ['APPROVAL_AUTH_TOKEN', 'short-secret-token'],
  ])('stops on a malformed %s without printing it', async (variable, value) => {
    const { lines, exitCode } = await runApi({ APPROVAL_API_KEY: 'k', APPROVAL_AUTH_TOKEN: TOKEN, [variable]: value });
    expect(exitCode).toBe(1);
    const output = lines.join('\n');
    expect(output).toContain(`${variable}=(secret, not shown)`);
    expect(output).not.toContain(value);
  });
});
