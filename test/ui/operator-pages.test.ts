import { beforeAll, describe, expect, it } from 'vitest';
import { twoReviewerDefinition } from '../fixtures/ui-definitions';
import { eventually, useEngine } from '../support/engine';
import { listen, type RunningApi } from '../support/http';
import { testWorkspaces } from '../support/test-workspaces';
import { createDefinition, dispatch, getExecution, ok, waitForStep } from '../support/rest-api';
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

/**
 * Another site (localhost is a different site from 127.0.0.1) whose page posts the engine's sign-in
 * form with the attacker's credentials and a sign-in token the attacker fetched for itself.
 */
const startLoginCsrfSite = async (credentials: { apiKey: string; authToken: string }): Promise<RunningApi> => {
  const own = await fetch(`${engine.baseUrl}/ui/sign-in`);
  const token = /name="csrf" value="([^"]+)"/.exec(await own.text())?.[1] ?? '';
  const field = (name: string, value: string) => `<input type="hidden" name="${name}" value="${value}">`;
  const html = `<!doctype html><form method="post" action="${engine.baseUrl}/ui/sign-in">${field('apiKey', credentials.apiKey)}${field(
    'authToken',
    credentials.authToken,
  )}${field('csrf', token)}</form><script>document.forms[0].submit()</script>`;
  const site = await listen({ fetch: () => new Response(html, { headers: { 'content-type': 'text/html' } }) });
  return { ...site, baseUrl: site.baseUrl.replace('127.0.0.1', 'localhost') };
};

describe.skipIf(!chromiumStatus.available)('the operator pages, in Chromium', () => {
  beforeAll(async () => {
    await createDefinition(engine.admin, twoReviewerDefinition('ops-review'));
  });

  it('sign in, find the waiting run in the inbox, open the run view: the graph shows each step status', async () => {
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

  it('an admin force-approves a waiting step from the run view; a stale form on the now-completed step is refused', async () => {
    const { executionId } = await dispatch(engine.admin, { definitionId: 'ops-review' });
    await waitForStep(engine.admin, executionId, 'human-review', 'waiting');
    const page = await signIn(await adminCredentials());
    await page.goto(`${engine.baseUrl}/ui/runs/${executionId}`);
    // A second tab keeps the form as it was while the step waited.
    const stale = await page.context().newPage();
    await stale.goto(`${engine.baseUrl}/ui/runs/${executionId}`);

    const form = page.getByRole('form', { name: 'Admin actions for step human-review' });
    expect(await form.getByLabel('Action on human-review').locator('option').allInnerTexts()).toEqual([
      'Force approve',
      'Force reject',
      'Force complete',
      'Force fail',
      'Cancel step',
    ]);
    await form.getByLabel('Action on human-review').selectOption('force-approve');
    await form.getByLabel('Acting as (actorId)').fill('ops-lead');
    await form.getByLabel('Reason').fill('legal signed off by phone');
    await form.getByRole('button', { name: 'Apply to human-review' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('status').innerText()).toContain('Force approve: done');

    const { step } = await waitForStep(engine.admin, executionId, 'human-review', 'completed');
    expect(step.output).toMatchObject({ decision: 'approve', approvalReply: 'legal signed off by phone' });
    await waitForStep(engine.admin, executionId, 'agent-publish', 'completed');
    const { events } = ok(await engine.admin.post('executions/getEvents', { executionId }));
    expect(events.find((event: any) => event.type === 'step.completed' && event.stepId === step.stepId)?.data).toMatchObject({
      decision: 'approve',
    });

    const [refused] = await Promise.all([
      stale.waitForResponse((response) => response.request().method() === 'POST'),
      stale.getByRole('button', { name: 'Apply to human-review' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await stale.waitForLoadState();
    expect(await stale.getByRole('alert').innerText()).toMatch(new RegExp(`^Not applied: step ${step.stepId} is (already )?completed`));
    // The refused page is the run view again, now without a form for the completed step.
    expect(await stale.getByRole('form', { name: 'Admin actions for step human-review' }).count()).toBe(0);
  });

  it('refuses a sign-in posted from another site (login CSRF) or without the form token', async () => {
    const victim = await browser.newPage();
    await victim.goto(`${engine.baseUrl}/ui/sign-in`); // the victim's browser holds its own sign-in nonce
    const site = await startLoginCsrfSite((await testWorkspaces(engine.taskQueue.slice(-8))).b);
    try {
      const [posted] = await Promise.all([
        victim.waitForResponse((response) => response.url() === `${engine.baseUrl}/ui/sign-in` && response.request().method() === 'POST'),
        victim.goto(site.baseUrl),
      ]);
      expect(posted.status()).toBe(403);
      await victim.waitForLoadState();
      expect(await victim.getByRole('alert').innerText()).toContain('not loaded from this engine');
      expect((await victim.context().cookies()).map((cookie) => cookie.name)).not.toContain('approval_session');
    } finally {
      await site.close();
    }

    // Right credentials without the form's token (a script, or a form built elsewhere): refused too.
    const { apiKey, authToken } = await adminCredentials();
    const bare = await victim.request.post(`${engine.baseUrl}/ui/sign-in`, { form: { apiKey, authToken }, maxRedirects: 0 });
    expect(bare.status()).toBe(403);
    expect(bare.headers()['set-cookie'] ?? '').not.toContain('approval_session=v');
    // The form as loaded signs in, and the sign-in nonce cookie is HttpOnly, SameSite=Strict, scoped to the form.
    const nonce = (await victim.context().cookies()).find((cookie) => cookie.name === 'approval_sign_in');
    expect(nonce).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/ui/sign-in' });
    await victim.goto(`${engine.baseUrl}/ui/sign-in`);
    await victim.getByLabel('API key').fill(apiKey);
    await victim.getByLabel('Auth token').fill(authToken);
    await victim.getByRole('button', { name: 'Sign in' }).click();
    await victim.waitForURL('**/ui/inbox');
  });

  it('the definition view lists the version history, newest first, and draws an earlier version on request', async () => {
    await createDefinition(engine.admin, twoReviewerDefinition('doc-versions'));
    for (const [ifVersion, name] of [
      [1, 'Press release approval (legal first)'],
      [2, 'Press release approval (final)'],
    ] as const) {
      ok(await engine.admin.post('definitions/update', { definitionId: 'doc-versions', ifVersion, name }));
    }
    const page = await signIn(await adminCredentials());
    await page.goto(`${engine.baseUrl}/ui/definitions/doc-versions`);
    const rows = page.locator('#versions tbody tr');
    expect(await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-version')))).toEqual(['3', '2', '1']);
    expect(await rows.nth(0).innerText()).toContain('Press release approval (final)');
    expect(await rows.nth(0).innerText()).toContain('current');
    expect(await rows.nth(2).innerText()).toContain('Press release approval\t'); // v1's own name
    expect(await page.locator('h1').innerText()).toBe('Press release approval (final)');

    await page.getByRole('link', { name: 'v1' }).click();
    await page.waitForURL('**/ui/definitions/doc-versions?version=1');
    expect(await page.locator('h1').innerText()).toBe('Press release approval');
    expect(await page.locator('main').innerText()).toContain('version 1 (current: 3)');
    expect(await page.locator('svg.graph title').first().textContent()).toContain('version 1');

    const missing = await page.goto(`${engine.baseUrl}/ui/definitions/doc-versions?version=9`);
    expect(missing?.status()).toBe(404);
    // A deleted and re-created id starts a new history: the old lineage's versions are not listed.
    await createDefinition(engine.admin, twoReviewerDefinition('doc-recreated'));
    ok(await engine.admin.post('definitions/update', { definitionId: 'doc-recreated', ifVersion: 1, name: 'old lineage v2' }));
    ok(await engine.admin.post('definitions/delete', { definitionId: 'doc-recreated' }));
    await createDefinition(engine.admin, { ...twoReviewerDefinition('doc-recreated'), name: 'new lineage' });
    await page.goto(`${engine.baseUrl}/ui/definitions/doc-recreated`);
    expect(await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-version')))).toEqual(['1']);
    expect(await rows.nth(0).innerText()).toContain('new lineage');
    // Another workspace's definition (or none) is not found either.
    expect((await page.goto(`${engine.baseUrl}/ui/definitions/no-such-definition`))?.status()).toBe(404);
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
    // No step actions for members, and a member's own CSRF token does not make them an admin.
    expect(await member.getByRole('form', { name: /^Admin actions/ }).count()).toBe(0);
    const csrf = await member.locator('input[name="csrf"]').first().inputValue();
    const { step } = await waitForStep(engine.admin, executionId, 'human-review', 'waiting');
    const asMember = await member.request.post(`${engine.baseUrl}/ui/runs/${executionId}/steps/${step.stepId}/act`, {
      form: { csrf, action: 'force-approve', actorId: 'intruder' },
    });
    expect(asMember.status()).toBe(403);
    expect((await waitForStep(engine.admin, executionId, 'human-review', 'waiting')).step.status).toBe('waiting');
  });
});
