import { describe, expect, it } from 'vitest';
import { ReviewerLinks } from '../../src/infra/ui/reviewer-links';
import { twoReviewerDefinition } from '../fixtures/ui-definitions';
import { TEST_SECRETS_KEY, useEngine } from '../support/engine';
import { createDefinition, dispatch, getExecution, stepOf, waitForStatus, waitForStep } from '../support/rest-api';
import { chromiumStatus, screenshot, useBrowser } from './support/browser';

const engine = useEngine({ ui: {} });
const browser = useBrowser();

interface LinkWire {
  reviewerId: string;
  url: string;
  expiresAt: number;
}

const startReview = async (definitionId: string) => {
  await createDefinition(engine.admin, twoReviewerDefinition(definitionId));
  const { executionId } = await dispatch(engine.admin, {
    definitionId,
    triggerContext: { articleId: 'art_42', title: 'Quarterly results press release', requestedBy: 'comms@example.com' },
  });
  const { step } = await waitForStep(engine.admin, executionId, 'human-review', 'waiting');
  const links = (step as unknown as { reviewerLinks: LinkWire[] }).reviewerLinks;
  const linkOf = (reviewerId: string): string => links.find((link) => link.reviewerId === reviewerId)!.url;
  return { executionId, step, linkOf };
};

describe.skipIf(!chromiumStatus.available)('the reviewer link page, in Chromium', () => {
  it('shows the work item, records an approval as that reviewer, shows it to the next reviewer, and the run moves on', async () => {
    const { executionId, step, linkOf } = await startReview('ui-review');

    const legal = await browser.newPage();
    const opened = await legal.goto(linkOf('u_legal'));
    expect(opened?.status()).toBe(200);
    expect(await legal.getByTestId('reviewer').innerText()).toBe('u_legal');
    const text = await legal.locator('main').innerText();
    expect(text).toContain('Quarterly results press release'); // the trigger context
    expect(text).toContain('Q3 results are in'); // the draft step's output
    await legal.getByLabel('Reason').fill('Legal wording checked');
    await legal.getByRole('button', { name: 'Approve' }).click();
    await legal.waitForLoadState();
    expect(await legal.getByRole('status').innerText()).toContain('Approved');

    // Recorded as u_legal on this step, and nothing else: the step still waits for u_brand.
    const afterFirst = stepOf(await getExecution(engine.admin, executionId), 'human-review');
    expect(afterFirst).toMatchObject({ stepId: step.stepId, status: 'waiting', output: { approveCount: 1, totalResponses: 1 } });

    const brand = await browser.newPage();
    expect((await brand.goto(linkOf('u_brand')))?.status()).toBe(200);
    const legalRow = await brand.locator('tr[data-reviewer="u_legal"]').innerText();
    expect(legalRow).toContain('Approved');
    expect(legalRow).toContain('Legal wording checked');
    expect(await brand.locator('tr[data-reviewer="u_brand"]').innerText()).toContain('waiting');
    await screenshot(brand, 'reviewer-page');
    await brand.getByRole('button', { name: 'Approve' }).click();
    await brand.waitForLoadState();

    await waitForStatus(engine.admin, executionId, 'completed');
    expect(stepOf(await getExecution(engine.admin, executionId), 'agent-publish').status).toBe('completed');

    // The same link once the step is decided: refused with a readable page, nothing recorded.
    const reused = await legal.goto(linkOf('u_legal'));
    expect(reused?.status()).toBe(410);
    expect(await legal.getByRole('heading', { level: 1 }).innerText()).toBe('This review is closed');
  });

  it('refuses an expired link and a tampered one with a readable page', async () => {
    const { executionId, step, linkOf } = await startReview('ui-review-refusals');
    const page = await browser.newPage();

    // A link minted by this engine's own key whose lifetime is already over.
    const shortLived = new ReviewerLinks({ secretsKey: TEST_SECRETS_KEY, publicUrl: engine.baseUrl, lifetimeMs: 1 });
    const expired = shortLived.mint(
      { workspaceId: engine.workspaceIdA, executionId, stepId: step.stepId, reviewerId: 'u_legal' },
      step.startedAt!,
    );
    expect((await page.goto(expired.url))?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('This link has expired');

    // u_brand's link re-addressed to u_legal: the signature no longer matches.
    const brandLink = linkOf('u_brand');
    const base = brandLink.slice(0, brandLink.lastIndexOf('/') + 1);
    const [version, body, mac] = brandLink.slice(base.length).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const forged = `${base}${version}.${Buffer.from(JSON.stringify({ ...claims, r: 'u_legal' })).toString('base64url')}.${mac}`;
    expect((await page.goto(forged))?.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('This link is not valid');
    expect(await page.getByRole('alert').innerText()).toContain('changed after it was issued');

    // A forged POST is refused the same way and records nothing.
    const posted = await fetch(forged, { method: 'POST', body: new URLSearchParams({ decision: 'approve' }) });
    expect(posted.status).toBe(403);
    expect(stepOf(await getExecution(engine.admin, executionId), 'human-review').output).toMatchObject({ totalResponses: 0 });
  });
});
