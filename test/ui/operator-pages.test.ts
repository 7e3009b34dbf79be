import { describe, expect, it } from 'vitest';
import { twoReviewerDefinition } from '../fixtures/ui-definitions';
import { eventually, useEngine } from '../support/engine';
import { testWorkspaces } from '../support/test-workspaces';
import { createDefinition, dispatch, getExecution, waitForStep } from '../support/rest-api';
import { chromiumStatus, screenshot, useBrowser } from './support/browser';

const engine = useEngine({ ui: {} });
const browser = useBrowser();

/** Workspace A's admin pair (the engine's test workspaces; the suffix is the task queue's tail). */
const adminCredentials = async () => (await testWorkspaces(engine.taskQueue.slice(-8))).a.admin;
const memberCredentials = async () => (await testWorkspaces(engine.taskQueue.slice(-8))).a.member;

const signIn = async (credentials: { apiKey: string; authToken: string }) => {
  const page = await browser.newPage();
  await page.goto(`${engine.baseUrl}/ui/inbox`);
  expect(new URL(page.url()).pathname).toBe('/ui/sign-in'); // signed out: sent to the sign-in form
  await page.getByLabel('API key').fill(credentials.apiKey);
  await page.getByLabel('Auth token').fill(credentials.authToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/ui/inbox');
  return page;
};

describe.skipIf(!chromiumStatus.available)('the operator pages, in Chromium', () => {
  it('sign in, find the waiting run in the inbox, open the run view: the graph shows each step status', async () => {
    await createDefinition(engine.admin, twoReviewerDefinition('ops-review'));
    const { executionId } = await dispatch(engine.admin, { definitionId: 'ops-review', triggerContext: { ticket: 'OPS-7' } });
    await waitForStep(engine.admin, executionId, 'human-review', 'waiting');

    const page = await signIn(await adminCredentials());
    const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'approval_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/ui', secure: false });

    // Visibility is eventually consistent: reload the inbox until the run is listed.
    await eventually(
      async () => {
        await page.goto(`${engine.baseUrl}/ui/inbox?reviewer=u_brand`);
        return page.locator(`tr[data-execution-id="${executionId}"]`).count();
      },
      (count) => count === 1,
      20_000,
    );
    expect(await page.locator(`tr[data-execution-id="${executionId}"]`).innerText()).toContain('human-review');
    await screenshot(page, 'inbox');
    // A reviewer filter that matches no one leaves the run out.
    await page.goto(`${engine.baseUrl}/ui/inbox?reviewer=u_nobody`);
    expect(await page.locator(`tr[data-execution-id="${executionId}"]`).count()).toBe(0);

    await page.goto(`${engine.baseUrl}/ui/inbox?reviewer=u_brand`);
    await page.getByRole('link', { name: executionId }).click();
    await page.waitForURL(`**/ui/runs/${executionId}`);
    const statusOf = (nodeId: string) => page.locator(`svg.graph g[data-node-id="${nodeId}"]`).getAttribute('data-status');
    expect(await statusOf('agent-draft')).toBe('completed');
    expect(await statusOf('human-review')).toBe('waiting');
    expect(await statusOf('agent-publish')).toBe('not-started');
    expect(await page.locator('svg.graph g[data-node-id="human-review"]').textContent()).toContain('waiting');
    expect(await page.locator('#events').innerText()).toContain('step.awaiting-approval');
    await screenshot(page, 'run-view');

    // Admins may cancel; the form carries the session's CSRF token.
    await page.getByLabel('Cancel this run (admin)').fill('duplicate request');
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').innerText()).toContain('cancelled');
    expect((await getExecution(engine.admin, executionId)).status).toBe('cancelled');
  });

  it('refuses a wrong token, a form without the CSRF token, and cancel for a member', async () => {
    const page = await browser.newPage();
    await page.goto(`${engine.baseUrl}/ui/sign-in`);
    await page.getByLabel('API key').fill((await adminCredentials()).apiKey);
    await page.getByLabel('Auth token').fill('not-the-token');
    const [refused] = await Promise.all([page.waitForResponse('**/ui/sign-in'), page.getByRole('button', { name: 'Sign in' }).click()]);
    expect(refused.status()).toBe(401);
    expect(await page.getByRole('alert').innerText()).toContain('do not match');

    const { executionId } = await dispatch(engine.admin, { definitionId: 'ops-review' });
    await waitForStep(engine.admin, executionId, 'human-review', 'waiting');
    const member = await signIn(await memberCredentials());
    await member.goto(`${engine.baseUrl}/ui/runs/${executionId}`);
    expect(await member.getByRole('button', { name: 'Cancel run' }).count()).toBe(0); // no cancel form for members
    // A POST without the session's CSRF token (what a cross-site form would send) is refused.
    const noCsrf = await member.request.post(`${engine.baseUrl}/ui/runs/${executionId}/cancel`, { form: { reason: 'x' } });
    expect(noCsrf.status()).toBe(403);
    expect((await getExecution(engine.admin, executionId)).status).toBe('running');
  });
});
