import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateDevCredentials } from '../../../src/infra/dev/dev-credentials';
import { SecretBox } from '../../../src/infra/secrets/secret-box';

describe('loadOrCreateDevCredentials', () => {
  it('creates random credentials once and reuses them across restarts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dev-'));
    const first = loadOrCreateDevCredentials(dir);
    const second = loadOrCreateDevCredentials(dir);
    expect(first.created).toBe(true);
    expect(second).toEqual({ credentials: first.credentials, created: false });
    expect(first.credentials.apiKey).toMatch(/^dev_[0-9a-f]{16}$/);
    expect(() => new SecretBox(first.credentials.secretsKey)).not.toThrow();
  });

  it('replaces a file from an older version that lacks a field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dev-'));
    writeFileSync(path.join(dir, 'dev-workspace.json'), JSON.stringify({ apiKey: 'old', authToken: 'old' }));
    const loaded = loadOrCreateDevCredentials(dir);
    expect(loaded.created).toBe(true);
    expect(loaded.credentials.apiKey).not.toBe('old');
  });
});
