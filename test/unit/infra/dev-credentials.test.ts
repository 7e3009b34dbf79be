import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_TOKEN_LENGTH } from '../../../src/infra/auth/token-hash';
import { loadConfig } from '../../../src/infra/config';
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

  it('makes a token the API accepts, and replaces a stored one that is too short', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dev-'));
    writeFileSync(
      path.join(dir, 'dev-workspace.json'),
      JSON.stringify({ apiKey: 'dev_old', authToken: 'too-short', secretsKey: Buffer.alloc(32).toString('base64') }),
    );
    const loaded = loadOrCreateDevCredentials(dir);
    expect(loaded.created).toBe(true);
    expect(loaded.credentials.authToken.length).toBeGreaterThanOrEqual(MIN_TOKEN_LENGTH);
    expect(() =>
      loadConfig({ APPROVAL_API_KEY: loaded.credentials.apiKey, APPROVAL_AUTH_TOKEN: loaded.credentials.authToken }),
    ).not.toThrow();
  });
});
