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

/**
 * Two workspaces whose API keys are unique to one engine (`suffix`), so engines never share a
 * tenant. Tokens are as long as the API requires and stored as salted scrypt hashes, as in production.
 */
export const testWorkspaces = async (suffix: string, agents?: HttpAgent[]): Promise<TestWorkspaces> => {
  const a = {
    admin: { apiKey: `key-a-${suffix}`, authToken: 'token-a-admin-0123456789abcdef01234' },
    member: { apiKey: `key-a-${suffix}`, authToken: 'token-a-member-0123456789abcdef0123' },
  };
  const b = { apiKey: `key-b-${suffix}`, authToken: 'token-b-admin-0123456789abcdef01234' };
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
