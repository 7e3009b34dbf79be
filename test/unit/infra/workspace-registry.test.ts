import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/infra/auth/token-hash';
import { loadWorkspaceRegistry, parseWorkspacesFile, sha256Hex, WorkspaceRegistry } from '../../../src/infra/auth/workspace-registry';

const file = (content: unknown): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ws-'));
  const name = path.join(dir, 'workspaces.json');
  writeFileSync(name, typeof content === 'string' ? content : JSON.stringify(content));
  return name;
};

const ADMIN = 'admin-token-0123456789abcdef01234567';
const MEMBER = 'member-token-0123456789abcdef0123456';
const OLD = 'old-token-0123456789abcdef0123456789';
const OTHER = 'other-token-0123456789abcdef01234567';
const LEGACY = 'legacy-token-0123456789abcdef0123456';
const SHORT = 'short-token';

let registry: WorkspaceRegistry;
beforeAll(async () => {
  registry = new WorkspaceRegistry(
    parseWorkspacesFile(
      JSON.stringify([
        {
          apiKey: 'key-1',
          authTokens: [
            { scrypt: await hashToken(ADMIN), role: 'admin' },
            { scrypt: await hashToken(MEMBER), role: 'member' },
            { scrypt: await hashToken(OLD), role: 'admin', expiresAt: 1_000 },
            { sha256: sha256Hex(LEGACY), role: 'member' },
            { sha256: sha256Hex(SHORT), role: 'admin' },
          ],
        },
        { apiKey: 'key-2', authTokens: [{ scrypt: await hashToken(OTHER), role: 'admin' }] },
      ]),
      'inline',
    ),
  );
});

describe('WorkspaceRegistry.authenticate', () => {
  it.each([
    ['key-1', ADMIN, 'admin'],
    ['key-1', MEMBER, 'member'],
    ['key-1', LEGACY, 'member'],
    ['key-2', OTHER, 'admin'],
  ])('accepts %s with its token as %s', async (apiKey, token, role) => {
    expect((await registry.authenticate(apiKey, token, 0))?.role).toBe(role);
    // Again, from the verified-token cache.
    expect((await registry.authenticate(apiKey, token, 1))?.role).toBe(role);
  });

  it.each([
    ['key-1', OTHER, 'a token of another workspace'],
    ['key-3', ADMIN, 'an unknown api key'],
    ['key-1', `${ADMIN} `, 'a near miss'],
    ['key-1', ADMIN.slice(0, -1), 'a prefix'],
    ['key-1', '', 'an empty token'],
    ['key-1', SHORT, 'a token shorter than 32 characters, even with a matching hash'],
  ])('rejects %s/%s (%s)', async (apiKey, token) => {
    expect(await registry.authenticate(apiKey, token, 0)).toBeUndefined();
  });

  it('honours expiresAt, also for a token it verified before', async () => {
    expect((await registry.authenticate('key-1', OLD, 999))?.role).toBe('admin');
    expect(await registry.authenticate('key-1', OLD, 1_000)).toBeUndefined();
  });

  it('verifies concurrent first requests with one token once and answers them all', async () => {
    const fresh = new WorkspaceRegistry(
      parseWorkspacesFile(JSON.stringify([{ apiKey: 'k', authTokens: [{ scrypt: await hashToken(ADMIN), role: 'admin' }] }]), 'inline'),
    );
    const answers = await Promise.all(Array.from({ length: 8 }, () => fresh.authenticate('k', ADMIN, 0)));
    expect(answers.map((answer) => answer?.role)).toEqual(Array(8).fill('admin'));
  });

  it('gives each api key its own stable workspace id that does not reveal the key', async () => {
    const one = (await registry.authenticate('key-1', ADMIN, 0))?.workspace.workspaceId;
    const two = (await registry.authenticate('key-2', OTHER, 0))?.workspace.workspaceId;
    expect(one).toMatch(/^ws_[0-9a-f]{20}$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain('key-1');
  });

  it('lists the unsalted sha256 entries of the file, for the start-up warning', () => {
    expect(registry.unsaltedTokenSources).toEqual(['workspaces[0].authTokens[3]', 'workspaces[0].authTokens[4]']);
  });
});

describe('hashToken', () => {
  it('salts every hash: the same token hashes differently each time, and both verify', async () => {
    const [first, second] = [await hashToken(ADMIN), await hashToken(ADMIN)];
    expect(first).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(first).not.toBe(second);
    const both = new WorkspaceRegistry(
      parseWorkspacesFile(
        JSON.stringify([
          { apiKey: 'a', authTokens: [{ scrypt: first, role: 'admin' }] },
          { apiKey: 'b', authTokens: [{ scrypt: second, role: 'member' }] },
        ]),
        'inline',
      ),
    );
    expect((await both.authenticate('a', ADMIN, 0))?.role).toBe('admin');
    expect((await both.authenticate('b', ADMIN, 0))?.role).toBe('member');
  });
});

describe('loadWorkspaceRegistry', () => {
  it('builds one admin workspace from the APPROVAL_API_KEY shortcut', async () => {
    const loaded = loadWorkspaceRegistry({ APPROVAL_API_KEY: 'k', APPROVAL_AUTH_TOKEN: ADMIN });
    expect((await loaded.authenticate('k', ADMIN, 0))?.role).toBe('admin');
    expect(loaded.unsaltedTokenSources).toEqual([]);
  });

  it('combines the file and the shortcut', async () => {
    const loaded = loadWorkspaceRegistry({
      APPROVAL_WORKSPACES_FILE: file([{ apiKey: 'f', authTokens: [{ scrypt: await hashToken(MEMBER), role: 'member' }] }]),
      APPROVAL_API_KEY: 'k',
      APPROVAL_AUTH_TOKEN: ADMIN,
    });
    expect(loaded.size).toBe(2);
    expect((await loaded.authenticate('f', MEMBER, 0))?.role).toBe('member');
  });

  it('reads an agent marked internal', () => {
    const loaded = loadWorkspaceRegistry({
      APPROVAL_WORKSPACES_FILE: file([
        {
          apiKey: 'a',
          authTokens: [{ sha256: sha256Hex(ADMIN), role: 'admin' }],
          agents: [{ agentId: 'in-house', url: 'http://10.0.0.5/run', secret: 'agent-secret-0123456789', internal: true }],
        },
      ]),
    });
    expect(loaded.agent('ws_' + sha256Hex('a').slice(0, 20), 'in-house')?.internal).toBe(true);
  });

  const salt = Buffer.alloc(16, 1).toString('base64').replace(/=+$/, '');
  const hash = Buffer.alloc(32, 2).toString('base64').replace(/=+$/, '');
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
    [[{ apiKey: 'a', authTokens: [{ role: 'admin' }] }], 'workspaces[0].authTokens[0]: give exactly one of scrypt or sha256'],
    [
      [{ apiKey: 'a', authTokens: [{ scrypt: `$scrypt$ln=14,r=8,p=1$${salt}$${hash}`, sha256: sha256Hex('x'), role: 'admin' }] }],
      'give exactly one of scrypt or sha256',
    ],
    [[{ apiKey: 'a', authTokens: [{ scrypt: 'salt:hash', role: 'admin' }] }], 'workspaces[0].authTokens[0].scrypt: must be "$scrypt$ln='],
    [[{ apiKey: 'a', authTokens: [{ scrypt: `$scrypt$ln=8,r=8,p=1$${salt}$${hash}`, role: 'admin' }] }], 'ln must be between 12 and 16'],
    [[{ apiKey: 'a', authTokens: [{ scrypt: `$scrypt$ln=16,r=16,p=1$${salt}$${hash}`, role: 'admin' }] }], 'more than 64 MiB'],
    [
      [{ apiKey: 'a', authTokens: [{ scrypt: `$scrypt$ln=14,r=8,p=1$AAAA$${hash}`, role: 'admin' }] }],
      'the salt must be at least 16 bytes',
    ],
    [
      [{ apiKey: 'a', authTokens: [{ scrypt: `$scrypt$ln=14,r=8,p=1$${salt}$not*base64`, role: 'admin' }] }],
      'salt and hash must be base64',
    ],
    [
      [
        {
          apiKey: 'a',
          authTokens: [{ sha256: sha256Hex('x'), role: 'admin' }],
          agents: [{ agentId: 'x', url: 'https://a.example', secret: 'agent-secret-0123456789', internal: 'yes' }],
        },
      ],
      'workspaces[0].agents[0].internal',
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
