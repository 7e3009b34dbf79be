import type { Hono } from 'hono';
import { createApp } from '../../api/app';
import type { AuthEnv } from '../../api/middleware/auth';
import type { RateLimitOptions } from '../../api/middleware/rate-limit';
import type { UiOptions } from '../../api/ui/ui-routes';
import type { Logger } from '../../src/infra/logger';
import type { Readiness } from '../../src/infra/temporal/readiness';
import { parseWorkspacesFile, WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { FakeServices } from './fake-services';
import { silentLogger } from './silent-logger';
import { testWorkspaces, type Credentials, type TestWorkspaces } from './test-workspaces';

/** The workspaces of every in-memory API test (hashed once per test file). */
export const inMemoryWorkspaces = (): Promise<TestWorkspaces> => testWorkspaces('in-memory-api');

export interface InMemoryApiOptions {
  workspaces: TestWorkspaces;
  fake?: FakeServices;
  rateLimit?: RateLimitOptions;
  logger?: Logger;
  checkReadiness?: () => Promise<Readiness>;
  /** The /ui pages (docs/ui.md). */
  ui?: UiOptions;
}

/**
 * The API in memory (`app.request`, no socket), over a fake of the engine services: what the
 * endpoints send to the engine and how they map its answers, without Temporal.
 */
const READY = (): Promise<Readiness> => Promise.resolve({ temporal: true, workerPolling: true });

export const inMemoryApi = ({
  workspaces,
  fake = new FakeServices(),
  rateLimit,
  logger = silentLogger,
  checkReadiness = READY,
  ui,
}: InMemoryApiOptions) => {
  const app: Hono<AuthEnv> = createApp({
    logger,
    registry: new WorkspaceRegistry(parseWorkspacesFile(workspaces.file, 'test')),
    services: fake.services,
    checkReadiness,
    rateLimit,
    ui,
  });
  /** `POST path` with `{ data }` and a workspace's credentials, as a client sends it. */
  const post = async (path: string, data: unknown, credentials: Credentials = workspaces.a.admin): Promise<Response> =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-velt-api-key': credentials.apiKey, 'x-velt-auth-token': credentials.authToken },
      body: JSON.stringify({ data }),
    });
  return { app, fake, post };
};

export type InMemoryApi = ReturnType<typeof inMemoryApi>;

/** The parsed JSON of a reply, for `toEqual`. */
export const bodyOf = (response: Response): Promise<unknown> => response.json();
