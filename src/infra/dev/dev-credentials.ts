import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIN_TOKEN_LENGTH } from '../auth/token-hash';

export interface DevCredentials {
  apiKey: string;
  authToken: string;
  secretsKey: string;
}

/**
 * With no workspace configured, development gets one workspace with random credentials.
 * They are kept beside the SQLite history so executions stay reachable across restarts.
 */
export const loadOrCreateDevCredentials = (dataDirectory: string): { credentials: DevCredentials; created: boolean } => {
  const file = path.join(dataDirectory, 'dev-workspace.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevCredentials>;
    // A token the API would refuse (shorter than the minimum) is replaced like a missing one.
    if (stored.apiKey && stored.authToken && stored.authToken.length >= MIN_TOKEN_LENGTH && stored.secretsKey) {
      return { credentials: stored as DevCredentials, created: false };
    }
  }
  const credentials = {
    apiKey: `dev_${randomBytes(8).toString('hex')}`,
    authToken: randomBytes(32).toString('base64url'),
    secretsKey: randomBytes(32).toString('base64'),
  };
  mkdirSync(dataDirectory, { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { credentials, created: true };
};
