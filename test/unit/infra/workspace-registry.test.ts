import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspaceRegistry, parseWorkspacesFile, sha256Hex, WorkspaceRegistry } from '../../../src/infra/auth/workspace-registry';

const file = (content: unknown): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ws-'));
  const name = path.join(dir, 'workspaces.json');
  writeFileSync(name, typeof content === 'string' ? content : JSON.stringify(content));
  return name;
};

const registry = new WorkspaceRegistry(
  parseWorkspacesFile(
    JSON.stringify([
      {
        apiKey: 'key-1',
        authTokens: [
          { sha256: sha256Hex('admin-token'), role: 'admin' },
          { sha256: sha256Hex('member-token'), role: 'member' },
          { sha256: sha256Hex('old-token'), role: 'admin', expiresAt: 1_000 },
        ],
      },
      { apiKey: 'key-2', authTokens: [{ sha256: sha256Hex('other'), role: 'admin' }] },
    ]),
    'inline',
  ),
);

describe('WorkspaceRegistry.authenticate', () => {
  it.each([
    ['key-1', 'admin-token', 'admin'],
    ['key-1', 'member-token', 'member'],
    ['key-2', 'other', 'admin'],
  ])('accepts %s with its token as %s', (apiKey, token, role) => {
    expect(registry.authenticate(apiKey, token, 0)?.role).toBe(role);
  });

  it.each([
    ['key-1', 'other', 'a token of another workspace'],
    ['key-3', 'admin-token', 'an unknown api key'],
    ['key-1', 'admin-token ', 'a near miss'],
    ['key-1', '', 'an empty token'],
  ])('rejects %s/%s (%s)', (apiKey, token) => {
    expect(registry.authenticate(apiKey, token, 0)).toBeUndefined();
  });

  it('honours expiresAt', () => {
    expect(registry.authenticate('key-1', 'old-token', 999)?.role).toBe('admin');
    expect(registry.authenticate('key-1', 'old-token', 1_000)).toBeUndefined();
  });

  it('gives each api key its own stable workspace id that does not reveal the key', () => {
    const one = registry.authenticate('key-1', 'admin-token', 0)?.workspace.workspaceId;
    const two = registry.authenticate('key-2', 'other', 0)?.workspace.workspaceId;
    expect(one).toMatch(/^ws_[0-9a-f]{20}$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain('key-1');
  });
});

describe('loadWorkspaceRegistry', () => {
  it('builds one admin workspace from the APPROVAL_API_KEY shortcut', () => {
    const loaded = loadWorkspaceRegistry({ APPROVAL_API_KEY: 'k', APPROVAL_AUTH_TOKEN: 't' });
    expect(loaded.authenticate('k', 't', 0)?.role).toBe('admin');
  });

  it('combines the file and the shortcut', () => {
    const loaded = loadWorkspaceRegistry({
      APPROVAL_WORKSPACES_FILE: file([{ apiKey: 'f', authTokens: [{ sha256: sha256Hex('ft'), role: 'member' }] }]),
      APPROVAL_API_KEY: 'k',
      APPROVAL_AUTH_TOKEN: 't',
    });
    expect(loaded.size).toBe(2);
    expect(loaded.authenticate('f', 'ft', 0)?.role).toBe('member');
  });

  it.each([
    ['{not json', 'not valid JSON'],
    [[], 'workspaces: Too small'],
    [[{ apiKey: 'a', authTokens: [{ sha256: 'plain-token', role: 'admin' }] }], 'workspaces[0].authTokens[0].sha256'],
    [[{ apiKey: 'a', authTokens: [{ sha256: sha256Hex('x'), role: 'owner' }] }], 'workspaces[0].authTokens[0].role'],
    [[{ apiKey: 'a', authTokens: [{ sha256: sha256Hex('x'), role: 'admin' }], extra: 1 }], 'workspaces[0].extra'],
    [
      [
        { apiKey: 'a', authTokens: [{ sha256: sha256Hex('x'), role: 'admin' }] },
        { apiKey: 'a', authTokens: [{ sha256: sha256Hex('y'), role: 'admin' }] },
      ],
      'duplicate apiKey',
    ],
  ])('rejects a bad workspaces file (%j) naming the problem', (content, message) => {
    expect(() => loadWorkspaceRegistry({ APPROVAL_WORKSPACES_FILE: file(content) })).toThrow(message);
  });

  it('names an unreadable file', () => {
    expect(() => loadWorkspaceRegistry({ APPROVAL_WORKSPACES_FILE: '/nonexistent/ws.json' })).toThrow(
      'APPROVAL_WORKSPACES_FILE /nonexistent/ws.json: cannot be read (ENOENT)',
    );
  });
});
