import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { OperatorSessions } from '../../src/infra/ui/operator-session';
import type { TakeRequest } from '../middleware/rate-limit';
import type { EngineServices } from '../services';
import { PAGE_HEADERS, RefusalPage } from './layout';
import { operatorRoutes } from './operator-routes';
import { reviewRoutes } from './review-routes';

/** Forms carry a decision and a short reason, or sign-in fields: far below this. */
const MAX_FORM_BYTES = 64 * 1024;

export interface UiOptions {
  /** APPROVAL_SECRETS_KEY: signs operator sessions (reviewer links come with `services.reviewerLinks`). */
  secretsKey: string;
  sessionTtlMs: number;
}

export interface UiDeps extends UiOptions {
  registry: WorkspaceRegistry;
  services: EngineServices;
  now?: () => number;
  /** The workspaces' request budgets, shared with `/v2` (docs/operations.md, "Rate limits"); absent: no limit. */
  takeRequest?: TakeRequest | undefined;
}

/** The server-rendered pages under /ui (docs/ui.md). */
export const uiRoutes = (deps: UiDeps): Hono => {
  const now = deps.now ?? Date.now;
  const app = new Hono();
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) =>
        c.html(
          <RefusalPage title="Form too large" message="The form sent more than 64 KiB; shorten the reason and send it again." />,
          413,
          PAGE_HEADERS,
        ),
    }),
  );
  app.route('/review', reviewRoutes({ registry: deps.registry, services: deps.services, now, takeRequest: deps.takeRequest }));
  const sessions = new OperatorSessions(deps.secretsKey, deps.sessionTtlMs);
  app.route('/', operatorRoutes({ registry: deps.registry, services: deps.services, sessions, now, takeRequest: deps.takeRequest }));
  return app;
};
