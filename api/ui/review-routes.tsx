import { Hono, type Context } from 'hono';
import type { Principal, WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import type { ReviewerLinkClaims } from '../../src/infra/ui/reviewer-links';
import { RecordReviewerDecisionRequestSchema } from '../../src/core/requests/step-requests';
import { describeZodError } from '../../src/core/zod-message';
import { isTerminalStep } from '../../src/core/interpreter/state';
import { toEngineError } from '../error-mapper';
import { HTTP_STATUS } from '../http-status';
import { recordReviewerDecision } from '../endpoints/steps';
import type { TakeRequest } from '../middleware/rate-limit';
import type { EngineServices } from '../services';
import { overBudget } from './over-budget';
import { PAGE_HEADERS, RefusalPage } from './layout';
import { ReviewPage } from './review-page';

export interface ReviewRouteDeps {
  registry: WorkspaceRegistry;
  services: EngineServices;
  now: () => number;
  takeRequest?: TakeRequest | undefined;
}

const REFUSALS = {
  disabled: [404, 'Reviewer links are off', 'This engine does not issue reviewer links (APPROVAL_REVIEWER_LINKS is off).'],
  malformed: [
    400,
    'This link is not valid',
    'The link is incomplete or damaged. Open it again from the message it came in, or ask for a new one.',
  ],
  'bad-signature': [
    403,
    'This link is not valid',
    'The link was changed after it was issued, or was issued by another engine. Ask for a new one.',
  ],
  expired: [410, 'This link has expired', 'Review links are valid for a limited time. Ask the person who sent it for a new link.'],
  'unknown-workspace': [403, 'This link is not valid', 'The workspace this link belongs to no longer exists on this engine.'],
} as const;

type RefusalKey = keyof typeof REFUSALS;

const refuse = (c: Context, key: RefusalKey): Response | Promise<Response> => {
  const [status, title, message] = REFUSALS[key];
  return c.html(<RefusalPage title={title} message={message} />, status, PAGE_HEADERS);
};

const refuseWith = (
  c: Context,
  status: 400 | 403 | 404 | 409 | 410 | 429 | 500 | 503 | 504,
  title: string,
  message: string,
): Response | Promise<Response> => c.html(<RefusalPage title={title} message={message} />, status, PAGE_HEADERS);

/** The reviewer's principal: the link stands for the workspace's credentials, for this one decision only. */
const principalFor = (registry: WorkspaceRegistry, claims: ReviewerLinkClaims): Principal | undefined => {
  const workspace = registry.workspace(claims.workspaceId);
  return workspace ? { workspace, role: 'member' } : undefined;
};

/**
 * `GET/POST /ui/review/:token` (docs/ui.md, "The link page"). The token authorises everything the
 * page does, and it names the one reviewer, step and run it may act on: the form carries only the
 * decision and the reason, never an id.
 */
export const reviewRoutes = ({ registry, services, now, takeRequest }: ReviewRouteDeps): Hono => {
  const app = new Hono();

  type Opened = { ok: true; claims: ReviewerLinkClaims; principal: Principal } | { ok: false; refusal: RefusalKey };
  const open = (c: Context): Opened => {
    const links = services.reviewerLinks;
    if (!links) return { ok: false, refusal: 'disabled' };
    const checked = links.verify(c.req.param('token') ?? '', now());
    if (!checked.ok) return { ok: false, refusal: checked.reason };
    const principal = principalFor(registry, checked.claims);
    if (!principal) return { ok: false, refusal: 'unknown-workspace' };
    return { ok: true, claims: checked.claims, principal };
  };

  const render = async (c: Context, claims: ReviewerLinkClaims, problem?: string): Promise<Response> => {
    const [view, workItem] = await Promise.all([
      services.executions.get(claims.workspaceId, claims.executionId),
      services.executions.workItem(claims.workspaceId, claims.executionId),
    ]);
    const step = view.steps.find((candidate) => candidate.stepId === claims.stepId);
    if (!step) return refuseWith(c, 404, 'Step not found', 'The step this link points at does not exist on this run.');
    if (isTerminalStep(step.status)) {
      const decision = typeof step.output.decision === 'string' ? ` (${step.output.decision})` : '';
      return refuseWith(
        c,
        410,
        'This review is closed',
        `This step is ${step.status}${decision}; it takes no more decisions. Nothing was recorded.`,
      );
    }
    const action = `${c.req.path}`;
    return c.html(
      <ReviewPage
        action={action}
        reviewerId={claims.reviewerId}
        expiresAt={claims.expiresAt}
        view={view}
        workItem={workItem}
        step={step}
        problem={problem}
      />,
      problem ? 400 : 200,
      PAGE_HEADERS,
    );
  };

  const failure = (c: Context, error: unknown): Response | Promise<Response> => {
    const engineError = toEngineError(error);
    const status = HTTP_STATUS[engineError.status];
    if (engineError.status === 'NOT_FOUND')
      return refuseWith(c, 404, 'Run not found', 'The run this link points at does not exist (or is no longer kept).');
    const shown = status === 500 ? 'Something went wrong on our side. Try again in a moment.' : engineError.message;
    return refuseWith(
      c,
      status === 401 ? 403 : (status as 400 | 403 | 404 | 409 | 429 | 500 | 503 | 504),
      'Your decision was not recorded',
      shown,
    );
  };

  app.get('/:token', async (c) => {
    const opened = open(c);
    if (!opened.ok) return refuse(c, opened.refusal);
    const limited = overBudget(c, takeRequest, opened.claims.workspaceId);
    if (limited) return limited;
    return render(c, opened.claims).catch((error: unknown) => failure(c, error));
  });

  app.post('/:token', async (c) => {
    const opened = open(c);
    if (!opened.ok) return refuse(c, opened.refusal);
    const limited = overBudget(c, takeRequest, opened.claims.workspaceId);
    if (limited) return limited;
    const { claims, principal } = opened;
    const form = await c.req.parseBody();
    const reason = typeof form.reason === 'string' && form.reason.trim() !== '' ? form.reason.trim() : undefined;
    const parsed = RecordReviewerDecisionRequestSchema.safeParse({
      executionId: claims.executionId,
      stepId: claims.stepId,
      reviewerId: claims.reviewerId,
      decision: form.decision,
      ...(reason === undefined ? {} : { reason }),
    });
    try {
      if (!parsed.success) return await render(c, claims, `Not recorded: ${describeZodError(parsed.error, 'form').join('; ')}`);
      // The same handler as POST /v2/workflow/steps/recordReviewerDecision, with the link's ids only.
      await recordReviewerDecision.handle(parsed.data, { principal, services, raw: { ...parsed.data } });
    } catch (error) {
      return failure(c, error);
    }
    // Post/redirect/get: a reload shows the recorded decision instead of sending it again.
    return c.redirect(c.req.path, 303);
  });

  return app;
};
