import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewerLinks } from '../../src/infra/ui/reviewer-links';
import { twoReviewerDefinition } from '../fixtures/ui-definitions';
import { eventually, TEST_SECRETS_KEY, useEngine } from '../support/engine';
import { startReceiver, type TestReceiver } from '../support/receiver';
import { createDefinition, decide, dispatch, getExecution, ok, stepOf, waitForStep } from '../support/rest-api';

const LIFETIME_MS = 3_600_000;
const engine = useEngine({ ui: { linkLifetimeMs: LIFETIME_MS } });
let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver(() => 204);
});
afterAll(async () => {
  await receiver?.close();
});

/** Checks a link with the engine's own key, as the link page will. */
const claimsOf = (url: string) => {
  const verifier = new ReviewerLinks({ secretsKey: TEST_SECRETS_KEY, publicUrl: engine.baseUrl, lifetimeMs: LIFETIME_MS });
  const checked = verifier.verify(url.slice(url.lastIndexOf('/') + 1), Date.now());
  if (!checked.ok) throw new Error(`link refused: ${checked.reason}`);
  return checked.claims;
};

describe('reviewer links', () => {
  it('come with step.awaiting-approval and the waiting step view: one per reviewer, bound to it, the same in both', async () => {
    await createDefinition(engine.admin, twoReviewerDefinition('linked-review'));
    const { executionId } = await dispatch(engine.admin, {
      definitionId: 'linked-review',
      webhookUrl: receiver.url,
      webhookSecret: 'whsec_links_0123456789',
    });
    const { step } = await waitForStep(engine.admin, executionId, 'human-review', 'waiting');

    const onView = (step as any).reviewerLinks as Array<{ reviewerId: string; url: string; expiresAt: number }>;
    expect(onView.map((link) => link.reviewerId)).toEqual(['u_legal', 'u_brand']);
    for (const link of onView) {
      expect(link.url.startsWith(`${engine.baseUrl}/ui/review/`)).toBe(true);
      expect(link.expiresAt).toBe(step.startedAt! + LIFETIME_MS);
      expect(claimsOf(link.url)).toEqual({
        workspaceId: engine.workspaceIdA,
        executionId,
        stepId: step.stepId,
        reviewerId: link.reviewerId,
        expiresAt: link.expiresAt,
      });
    }

    const delivered = await eventually(
      () => Promise.resolve(receiver.received.map((entry) => JSON.parse(entry.rawBody))),
      (bodies) => bodies.some((body) => body.event === 'step.awaiting-approval' && body.executionId === executionId),
    );
    const awaiting = delivered.find((body) => body.event === 'step.awaiting-approval' && body.executionId === executionId);
    expect(awaiting.data.reviewerLinks).toEqual(onView);
    // The rest of the event data is what getEvents returns: links are added for the webhook alone.
    const { events } = ok(await engine.admin.post('executions/getEvents', { executionId }));
    const event = events.find((candidate: any) => candidate.type === 'step.awaiting-approval');
    expect(awaiting.data).toEqual({ ...event.data, reviewerLinks: onView });
  });

  it('leave the step view once the step stops waiting, and are never minted for agent steps', async () => {
    const { executionId } = await dispatch(engine.admin, { definitionId: 'linked-review' });
    const { step } = await waitForStep(engine.admin, executionId, 'human-review', 'waiting');
    ok(await decide(engine.admin, executionId, step.stepId, 'u_legal', 'approve'));
    ok(await decide(engine.admin, executionId, step.stepId, 'u_brand', 'approve'));
    await waitForStep(engine.admin, executionId, 'agent-publish', 'completed');
    const view = await getExecution(engine.admin, executionId);
    expect(view.steps.every((candidate) => !('reviewerLinks' in candidate))).toBe(true);
    expect(stepOf(view, 'human-review').status).toBe('completed');
  });
});
