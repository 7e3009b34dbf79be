import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import {
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  clearedSessionCookie,
  clearedSignInCookie,
  sessionCookie,
  signInCookie,
  signInNonce,
  type OperatorSession,
  type OperatorSessions,
} from '../../src/infra/ui/operator-session';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { toEngineError } from '../error-mapper';
import { HTTP_STATUS } from '../http-status';
import type { EngineServices } from '../services';
import { collectInbox } from './inbox';
import type { TakeRequest } from '../middleware/rate-limit';
import { PAGE_HEADERS, RefusalPage } from './layout';
import { overBudget } from './over-budget';
import { DefinitionPage, InboxPage, Nav, RunPage, SignInPage } from './operator-pages';
import { STEP_ACTION_LABELS, applyStepAction } from './step-actions';

export interface OperatorRouteDeps {
  registry: WorkspaceRegistry;
  services: EngineServices;
  sessions: OperatorSessions;
  now: () => number;
  takeRequest?: TakeRequest | undefined;
}

type SessionEnv = { Variables: { session: OperatorSession } };

const FILTER_MAX_CHARS = 256;
/** How long a loaded sign-in form stays usable. */
const SIGN_IN_FORM_SECONDS = 3600;

/** Over https directly, or behind a proxy that says the client used https. */
const isHttps = (c: Context): boolean => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

const param = (value: string | undefined): string | undefined => (value && value.length <= FILTER_MAX_CHARS ? value : undefined);

/**
 * The operator pages (docs/ui.md, "Operator pages"): sign-in with the workspace's API key and
 * token, then an inbox, run views and definition views of that workspace only. Every form that
 * changes something carries the session's CSRF token; the cookie is SameSite=Strict besides.
 */
export const operatorRoutes = ({ registry, services, sessions, now, takeRequest }: OperatorRouteDeps): Hono<SessionEnv> => {
  const app = new Hono<SessionEnv>();

  app.get('/', (c) => c.redirect('/ui/inbox', 303));
  /** The sign-in form, with its CSRF token bound to the browser's sign-in nonce (set again, so it stays fresh). */
  const signInForm = (c: Context, status: 200 | 401 | 403, problem?: string) => {
    const nonce = signInNonce(getCookie(c, SIGN_IN_COOKIE));
    c.header('set-cookie', signInCookie(nonce, { secure: isHttps(c), maxAgeSeconds: SIGN_IN_FORM_SECONDS }));
    return c.html(<SignInPage csrf={sessions.signInCsrfToken(nonce)} problem={problem} />, status, PAGE_HEADERS);
  };

  app.get('/sign-in', (c) => signInForm(c, 200));
  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    // Login CSRF: only the form this browser loaded from us signs it in (docs/ui.md, "Operator pages").
    if (!sessions.checkSignInCsrf(getCookie(c, SIGN_IN_COOKIE), form.csrf)) {
      return signInForm(c, 403, 'This sign-in form expired or was not loaded from this engine. Sign in again here.');
    }
    const apiKey = typeof form.apiKey === 'string' ? form.apiKey : '';
    const authToken = typeof form.authToken === 'string' ? form.authToken : '';
    const principal = apiKey && authToken ? await registry.authenticate(apiKey, authToken, now()) : undefined;
    if (!principal) return signInForm(c, 401, 'That API key and token do not match a workspace.');
    const { value } = sessions.issue({ workspaceId: principal.workspace.workspaceId, role: principal.role }, now());
    c.header('set-cookie', sessionCookie(value, { secure: isHttps(c), maxAgeSeconds: Math.floor(sessions.ttlMs / 1000) }));
    c.header('set-cookie', clearedSignInCookie(isHttps(c)), { append: true });
    return c.redirect('/ui/inbox', 303);
  });

  // Everything below needs a live session of a workspace this engine still knows.
  app.use('*', async (c, next) => {
    const session = sessions.read(getCookie(c as Context, SESSION_COOKIE), now());
    if (!session || !registry.workspace(session.workspaceId)) return c.redirect('/ui/sign-in', 303);
    const limited = overBudget(c as Context, takeRequest, session.workspaceId);
    if (limited) return limited;
    c.set('session', session);
    await next();
  });
  // Forms that change something must carry the session's CSRF token.
  app.use('*', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const form = await c.req.parseBody();
    if (!sessions.checkCsrf(c.get('session'), form.csrf)) {
      return c.html(
        <RefusalPage title="Form expired" message="This form was not issued for your session. Reload the page and try again." />,
        403,
        PAGE_HEADERS,
      );
    }
    await next();
  });

  const nav = (c: Context<SessionEnv>) => <Nav session={c.get('session')} csrf={sessions.csrfToken(c.get('session'))} />;
  const failure = (c: Context<SessionEnv>, error: unknown) => {
    const engineError = toEngineError(error);
    const status = engineError.status === 'NOT_FOUND' ? 404 : engineError.status === 'INTERNAL' ? 500 : 400;
    return c.html(
      <RefusalPage title={status === 404 ? 'Not found' : 'Could not load this page'} message={engineError.message} />,
      status,
      PAGE_HEADERS,
    );
  };

  app.post('/sign-out', (c) => {
    c.header('set-cookie', clearedSessionCookie(isHttps(c)));
    return c.redirect('/ui/sign-in', 303);
  });

  app.get('/inbox', async (c) => {
    const filters = {
      definitionId: param(c.req.query('definitionId')),
      reviewer: param(c.req.query('reviewer')),
      organizationId: param(c.req.query('organizationId')),
      documentId: param(c.req.query('documentId')),
    };
    const page = Math.min(Math.max(Number.parseInt(c.req.query('page') ?? '1', 10) || 1, 1), 1000);
    try {
      const model = await collectInbox(services, c.get('session').workspaceId, filters, page);
      return c.html(<InboxPage model={model} nav={nav(c)} />, 200, PAGE_HEADERS);
    } catch (error) {
      return failure(c, error);
    }
  });

  const runPage = async (
    c: Context<SessionEnv>,
    executionId: string,
    message?: { notice?: string; problem?: string; status?: ContentfulStatusCode },
  ) => {
    const session = c.get('session');
    const [view, workItem, events] = await Promise.all([
      services.executions.get(session.workspaceId, executionId),
      services.executions.workItem(session.workspaceId, executionId),
      services.executions.events(session.workspaceId, executionId, 0, 200),
    ]);
    const model = {
      view,
      workItem,
      events,
      session,
      csrf: sessions.csrfToken(session),
      notice: message?.notice,
      problem: message?.problem,
    };
    return c.html(<RunPage model={model} nav={nav(c)} />, message?.status ?? 200, PAGE_HEADERS);
  };

  app.get('/runs/:executionId', (c) => runPage(c, c.req.param('executionId')).catch((error: unknown) => failure(c, error)));

  app.post('/runs/:executionId/cancel', async (c) => {
    const session = c.get('session');
    if (session.role !== 'admin') {
      return c.html(<RefusalPage title="Not allowed" message="Cancelling a run needs an admin token." />, 403, PAGE_HEADERS);
    }
    const form = await c.req.parseBody();
    const reason = typeof form.reason === 'string' && form.reason.trim() ? form.reason.trim().slice(0, 500) : undefined;
    try {
      await services.executions.cancel(session.workspaceId, c.req.param('executionId'), reason);
      return await runPage(c, c.req.param('executionId'), { notice: 'The run was cancelled.' });
    } catch (error) {
      return failure(c, error);
    }
  });

  app.post('/runs/:executionId/steps/:stepId/act', async (c) => {
    const session = c.get('session');
    const workspace = registry.workspace(session.workspaceId);
    if (session.role !== 'admin' || !workspace) {
      return c.html(<RefusalPage title="Not allowed" message="Resolving or cancelling a step needs an admin token." />, 403, PAGE_HEADERS);
    }
    const { executionId, stepId } = c.req.param();
    const form = await c.req.parseBody();
    try {
      const action = await applyStepAction(
        { executionId, stepId, action: form.action, actorId: form.actorId, reason: form.reason },
        { principal: { workspace, role: session.role }, services },
      );
      return await runPage(c, executionId, { notice: `${STEP_ACTION_LABELS[action]}: done for step ${stepId}.` });
    } catch (error) {
      const engineError = toEngineError(error);
      // The run view, saying why; a run that cannot be read (unknown, another workspace's) gets its own page.
      return runPage(c, executionId, { problem: `Not applied: ${engineError.message}`, status: HTTP_STATUS[engineError.status] }).catch(
        (readError: unknown) => failure(c, readError),
      );
    }
  });

  app.get('/definitions/:definitionId', async (c) => {
    const workspaceId = c.get('session').workspaceId;
    const definitionId = c.req.param('definitionId');
    const asked = c.req.query('version');
    try {
      const [current, history] = await Promise.all([
        services.definitions.getActive(workspaceId, definitionId),
        services.definitions.versions(workspaceId, definitionId),
      ]);
      const shown = asked === undefined ? current : history.versions.find((candidate) => String(candidate.version) === asked);
      if (!shown) {
        const message = `Version ${(asked ?? '').slice(0, 20)} of ${definitionId} is not in the history this page reads.`;
        return c.html(<RefusalPage title="Not found" message={message} />, 404, PAGE_HEADERS);
      }
      return await c.html(<DefinitionPage definition={shown} current={current} history={history} nav={nav(c)} />, 200, PAGE_HEADERS);
    } catch (error) {
      return failure(c, error);
    }
  });

  return app;
};
