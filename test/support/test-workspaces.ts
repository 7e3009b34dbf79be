import { hashToken } from '../../src/infra/auth/token-hash';

export interface Credentials {
  apiKey: string;
  authToken: string;
}

export interface HttpAgent {
  agentId: string;
  url: string;
  secret: string;
  internal?: boolean;
}

export interface TestWorkspaces {
  /** Workspace A: admin and member tokens; workspace B: admin. */
  a: { admin: Credentials; member: Credentials };
  b: Credentials;
  /** The APPROVAL_WORKSPACES_FILE contents for both (docs/behaviour.md#workspaces-tokens-and-roles). */
  file: string;
}

/** The API keys of the two workspaces of one engine (`suffix`); no hashing, so tests can name them cheaply. */
export const testApiKeys = (suffix: string): { a: string; b: string } => ({ a: `key-a-${suffix}`, b: `key-b-${suffix}` });

/**
 * Two workspaces whose API keys are unique to one engine (`suffix`), so engines never share a
 * tenant. Tokens are as long as the API requires and stored as salted scrypt hashes, as in production.
 */
export const testWorkspaces = async (suffix: string, agents?: HttpAgent[]): Promise<TestWorkspaces> => {
  const keys = testApiKeys(suffix);
  const a = {
    admin: { apiKey: keys.a, authToken: 'token-a-admin-0123456789abcdef01234' },
    member: { apiKey: keys.a, authToken: 'token-a-member-0123456789abcdef0123' },
  };
  const b = { apiKey: keys.b, authToken: 'token-b-admin-0123456789abcdef01234' };
  const [adminHash, memberHash, bHash] = await Promise.all([
    hashToken(a.admin.authToken),
    hashToken(a.member.authToken),
    hashToken(b.authToken),
  ]);
  const file = JSON.stringify([
    {
      apiKey: a.admin.apiKey,
      authTokens: [
        { scrypt: adminHash, role: 'admin' },
        { scrypt: memberHash, role: 'member' },
      ],
      ...(agents ? { agents } : {}),
    },
    { apiKey: b.apiKey, authTokens: [{ scrypt: bHash, role: 'admin' }] },
  ]);
  return { a, b, file };
};
