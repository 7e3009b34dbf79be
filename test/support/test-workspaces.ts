import { sha256Hex } from '../../src/infra/auth/workspace-registry';

export interface Credentials {
  apiKey: string;
  authToken: string;
}

export interface HttpAgent {
  agentId: string;
  url: string;
  secret: string;
}

export interface TestWorkspaces {
  /** Workspace A: admin and member tokens; workspace B: admin. */
  a: { admin: Credentials; member: Credentials };
  b: Credentials;
  /** The APPROVAL_WORKSPACES_FILE contents for both (docs/behaviour.md#workspaces-tokens-and-roles). */
  file: string;
}

/** Two workspaces whose API keys are unique to one engine (`suffix`), so engines never share a tenant. */
export const testWorkspaces = (suffix: string, agents?: HttpAgent[]): TestWorkspaces => {
  const a = {
    admin: { apiKey: `key-a-${suffix}`, authToken: 'token-a-admin' },
    member: { apiKey: `key-a-${suffix}`, authToken: 'token-a-member' },
  };
  const b = { apiKey: `key-b-${suffix}`, authToken: 'token-b-admin' };
  const file = JSON.stringify([
    {
      apiKey: a.admin.apiKey,
      authTokens: [
        { sha256: sha256Hex(a.admin.authToken), role: 'admin' },
        { sha256: sha256Hex(a.member.authToken), role: 'member' },
      ],
      ...(agents ? { agents } : {}),
    },
    { apiKey: b.apiKey, authTokens: [{ sha256: sha256Hex(b.authToken), role: 'admin' }] },
  ]);
  return { a, b, file };
};
