import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../../api/endpoints';
import {
  cancelStepUpdate,
  recordAgentResolutionUpdate,
  recordReviewerDecisionUpdate,
  resolveStepUpdate,
} from '../../../src/contracts/execution-messages';
import { firstVersion, nextVersion, toDefinitionView, type StoredDefinition } from '../../../src/core/definition';
import { EngineError } from '../../../src/core/errors';
import { workspaceIdFor } from '../../../src/infra/auth/workspace-registry';
import { SecretBox } from '../../../src/infra/secrets/secret-box';
import { canonical } from '../../fixtures/canonical-definitions';
import { walkthroughDefinition } from '../../fixtures/definitions';
import { g3Definition } from '../definition/g3-helpers';
import { FakeServices } from '../../support/fake-services';
import { bodyOf, inMemoryApi, inMemoryWorkspaces } from '../../support/in-memory-api';

/*
 * Every endpoint's mapping (docs/api.md, "Endpoints"): the request becomes exactly these service
 * calls, and the services' answer becomes exactly this `result`. The engine behind the services
 * is tested end to end in test/http; here it is a fake, so each mapping is seen on its own.
 */

const workspaces = await inMemoryWorkspaces();
const WS = workspaceIdFor(workspaces.a.admin.apiKey);
const EXECUTION_ID = 'exec_1700000000000_abcdefgh';
const STEP_ID = `${EXECUTION_ID}:review:1`;
const secretBox = new SecretBox(Buffer.alloc(32, 7).toString('base64'));

const call = async (fake: FakeServices, path: string, data: unknown, credentials = workspaces.a.admin) => {
  const response = await inMemoryApi({ workspaces, fake }).post(path, data, credentials);
  return { status: response.status, body: await bodyOf(response) };
};

const stored = (input: unknown, version = 1): StoredDefinition => {
  const first = firstVersion(canonical(input), 1_000);
  return version === 1 ? first : { ...nextVersion(first, first.content, 2_000), version };
};

describe('the endpoint list', () => {
  it('holds the 14 endpoints of the contract, each tested below', () => {
    expect(ENDPOINTS.map((endpoint) => endpoint.path)).toEqual([
      '/v2/workflow/definitions/create',
      '/v2/workflow/definitions/update',
      '/v2/workflow/definitions/get',
      '/v2/workflow/definitions/list',
      '/v2/workflow/definitions/delete',
      '/v2/workflow/executions/dispatch',
      '/v2/workflow/executions/get',
      '/v2/workflow/executions/list',
      '/v2/workflow/executions/cancel',
      '/v2/workflow/executions/getEvents',
      '/v2/workflow/steps/recordReviewerDecision',
      '/v2/workflow/steps/recordAgentResolution',
      '/v2/workflow/steps/cancel',
      '/v2/workflow/steps/resolve',
    ]);
  });
});

describe('definitions/create', () => {
  const scripted = () =>
    new FakeServices({ secretBox })
      .answer('definitions', 'create', (_ws, content) => Promise.resolve(firstVersion(content, 1_000)))
      .answer('schedules', 'sync', () => Promise.resolve());

  it('stores the canonical form, syncs schedules, and answers the view of version 1', async () => {
    const fake = scripted();
    const body = walkthroughDefinition('blog-post');
    const { status, body: reply } = await call(fake, '/v2/workflow/definitions/create', body);
    const created = firstVersion(canonical(body), 1_000);
    expect(status).toBe(200);
    expect(fake.calls).toEqual([
      { call: 'definitions.create', args: [WS, canonical(body)] },
      { call: 'schedules.sync', args: [WS, null, created] },
    ]);
    expect(reply).toEqual({ result: JSON.parse(JSON.stringify(toDefinitionView(created))) });
    expect(reply).toMatchObject({
      result: { definitionId: 'blog-post', version: 1, status: 'active', createdAt: 1_000, updatedAt: 1_000 },
    });
  });

  it('a G3 body is stored as sent and its edges come back verbatim', async () => {
    const fake = scripted();
    const body = g3Definition();
    const { body: reply } = await call(fake, '/v2/workflow/definitions/create', body);
    expect(reply).toMatchObject({ result: { definitionId: 'g3-definition', edges: body.edges } });
    expect((reply as { result: Record<string, unknown> }).result).not.toHaveProperty('loops');
  });

  it('seals a webhookConfig secret and an inbound trigger secret before storing, and never shows them', async () => {
    const fake = scripted();
    const secret = 'whsec-0123456789abcdef';
    const body = {
      ...walkthroughDefinition('with-secrets'),
      webhookConfig: { url: 'https://hooks.example.com/approvals', secret },
      triggers: [{ triggerId: 'ci', inboundWebhook: { provider: 'velt', authMode: 'hmac', secret: 'trigger-secret-0123456789' } }],
    };
    const { status, body: reply } = await call(fake, '/v2/workflow/definitions/create', body);
    expect(status).toBe(200);
    const [, content] = fake.callsOf('definitions.create')[0] as [string, StoredDefinition['content']];
    expect(content.webhookConfig?.url).toBe('https://hooks.example.com/approvals');
    expect(secretBox.open(content.webhookConfig!.sealedSecret)).toBe(secret);
    expect(secretBox.open(content.triggerSecrets!['ci']!)).toBe('trigger-secret-0123456789');
    expect(JSON.stringify(content)).not.toContain(secret);
    expect(JSON.stringify(reply)).not.toMatch(/whsec|trigger-secret|sealedSecret|triggerSecrets/);
  });

  it('without a secrets key a webhookConfig is FAILED_PRECONDITION and nothing is stored', async () => {
    const fake = new FakeServices();
    const body = {
      ...walkthroughDefinition('unsealed'),
      webhookConfig: { url: 'https://hooks.example.com/a', secret: 'whsec-0123456789abcdef' },
    };
    const { status, body: reply } = await call(fake, '/v2/workflow/definitions/create', body);
    expect(status).toBe(400);
    expect(reply).toEqual({
      error: { status: 'FAILED_PRECONDITION', message: 'webhookConfig needs APPROVAL_SECRETS_KEY on this server to seal its secret' },
    });
    expect(fake.calls).toEqual([]);
  });

  it('a URL the outbound rules refuse is refused naming the field, before anything is stored', async () => {
    const checked: string[] = [];
    const fake = new FakeServices({
      checkOutboundUrl: (url, subject) => {
        checked.push(`${subject}=${url}`);
        return new EngineError('INVALID_ARGUMENT', `${subject}: must not reach a private address`);
      },
    });
    const body = {
      definitionId: 'private-hook',
      name: 'n',
      nodes: [{ nodeId: 'call', type: 'webhook', config: { url: 'https://10.0.0.1/hook' } }],
      edges: [],
    };
    const { status, body: reply } = await call(fake, '/v2/workflow/definitions/create', body);
    expect(status).toBe(400);
    expect(reply).toEqual({ error: { status: 'INVALID_ARGUMENT', message: 'data.nodes[0].config.url: must not reach a private address' } });
    expect(checked).toEqual(['data.nodes[0].config.url=https://10.0.0.1/hook']);
    expect(fake.calls).toEqual([]);
  });

  it('a linter failure never reaches the store', async () => {
    const fake = new FakeServices();
    const body = { definitionId: 'no-nodes', name: 'n', nodes: [], edges: [] };
    const { status, body: reply } = await call(fake, '/v2/workflow/definitions/create', body);
    expect(status).toBe(400);
    expect(reply).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    expect(fake.calls).toEqual([]);
  });
});

describe('definitions/update', () => {
  const current = stored(walkthroughDefinition('blog-post'));

  it('reads the active version, sends the merged content with ifVersion, syncs schedules, answers the new view', async () => {
    const fake = new FakeServices()
      .answer('definitions', 'getActive', () => Promise.resolve(current))
      .answer('definitions', 'update', (_ws, _id, command) => Promise.resolve(nextVersion(current, command.content, 2_000)))
      .answer('schedules', 'sync', () => Promise.resolve());
    const { status, body } = await call(fake, '/v2/workflow/definitions/update', {
      definitionId: 'blog-post',
      ifVersion: 1,
      name: 'Renamed',
    });
    expect(status).toBe(200);
    const expectedContent = canonical({ ...walkthroughDefinition('blog-post'), name: 'Renamed' });
    const updated = nextVersion(current, expectedContent, 2_000);
    expect(fake.calls).toEqual([
      { call: 'definitions.getActive', args: [WS, 'blog-post'] },
      { call: 'definitions.update', args: [WS, 'blog-post', { ifVersion: 1, content: expectedContent }] },
      { call: 'schedules.sync', args: [WS, current.content, updated] },
    ]);
    expect(body).toMatchObject({ result: { definitionId: 'blog-post', name: 'Renamed', version: 2, createdAt: 1_000, updatedAt: 2_000 } });
  });

  it('a stale ifVersion is FAILED_PRECONDITION and nothing is written', async () => {
    const fake = new FakeServices().answer('definitions', 'getActive', () => Promise.resolve(current));
    const { status, body } = await call(fake, '/v2/workflow/definitions/update', { definitionId: 'blog-post', ifVersion: 3, name: 'x' });
    expect(status).toBe(400);
    expect(body).toEqual({ error: { status: 'FAILED_PRECONDITION', message: 'Version conflict: expected 3, current 1' } });
    expect(fake.calls.map((entry) => entry.call)).toEqual(['definitions.getActive']);
  });
});

describe('definitions/get', () => {
  const scoped = stored({ ...walkthroughDefinition('scoped'), scope: { level: 'document', organizationId: 'org-1', documentId: 'doc-1' } });

  it('answers the view of what the store holds', async () => {
    const fake = new FakeServices().answer('definitions', 'get', () => Promise.resolve(scoped));
    const { status, body } = await call(fake, '/v2/workflow/definitions/get', { definitionId: 'scoped', organizationId: 'org-1' });
    expect(status).toBe(200);
    expect(fake.calls).toEqual([{ call: 'definitions.get', args: [WS, 'scoped'] }]);
    expect(body).toEqual({ result: JSON.parse(JSON.stringify(toDefinitionView(scoped))) });
  });

  it.each([
    ['an absent definition', null, {}],
    ['a tombstoned one', { ...scoped, status: 'tombstoned' as const }, {}],
    ['a scope id that does not match', scoped, { organizationId: 'org-2' }],
  ])('%s is NOT_FOUND', async (_name, held, scope) => {
    const fake = new FakeServices().answer('definitions', 'get', () => Promise.resolve(held));
    const { status, body } = await call(fake, '/v2/workflow/definitions/get', { definitionId: 'scoped', ...scope });
    expect(status).toBe(404);
    expect(body).toEqual({ error: { status: 'NOT_FOUND', message: 'definition scoped not found' } });
  });
});

describe('definitions/list', () => {
  it('passes paging and scope on (pageSize 50 by default) and answers views with the cursor', async () => {
    const items = [stored(walkthroughDefinition('one')), stored(g3Definition({ definitionId: 'two' }))];
    const fake = new FakeServices().answer('definitions', 'list', () => Promise.resolve({ items, nextCursor: 7 }));
    const { status, body } = await call(fake, '/v2/workflow/definitions/list', { organizationId: 'org-1' });
    expect(status).toBe(200);
    expect(fake.calls).toEqual([{ call: 'definitions.list', args: [WS, { pageSize: 50, organizationId: 'org-1' }] }]);
    expect(body).toEqual({ result: JSON.parse(JSON.stringify({ items: items.map(toDefinitionView), nextCursor: 7 })) });
  });

  it('sends the cursor it was given', async () => {
    const fake = new FakeServices().answer('definitions', 'list', () => Promise.resolve({ items: [], nextCursor: null }));
    const { body } = await call(fake, '/v2/workflow/definitions/list', { pageSize: 5, cursor: 7 });
    expect(fake.callsOf('definitions.list')).toEqual([[WS, { pageSize: 5, cursor: 7 }]]);
    expect(body).toEqual({ result: { items: [], nextCursor: null } });
  });
});

describe('definitions/delete', () => {
  const g2 = stored(walkthroughDefinition('old'));
  const g3 = stored(g3Definition({ definitionId: 'new-style' }));
  const deleting = (held: StoredDefinition) =>
    new FakeServices()
      .answer('definitions', 'get', () => Promise.resolve(held))
      .answer('definitions', 'delete', () => Promise.resolve({ ...held, status: 'tombstoned' }))
      .answer('schedules', 'sync', () => Promise.resolve());

  it('a G2 client that never sends purge keeps its reply', async () => {
    const fake = deleting(g2);
    const { status, body } = await call(fake, '/v2/workflow/definitions/delete', { definitionId: 'old' });
    expect(status).toBe(200);
    expect(fake.calls).toEqual([
      { call: 'definitions.get', args: [WS, 'old'] },
      { call: 'definitions.delete', args: [WS, 'old', { definitionId: 'old', purge: false }] },
      { call: 'schedules.sync', args: [WS, g2.content, null] },
    ]);
    expect(body).toEqual({ result: { deleted: true, definitionId: 'old' } });
  });

  it('purge is passed on and answered; a G3 definition always shows purged', async () => {
    const purging = deleting(g2);
    expect((await call(purging, '/v2/workflow/definitions/delete', { definitionId: 'old', purge: true })).body).toEqual({
      result: { deleted: true, purged: true, definitionId: 'old' },
    });
    expect(purging.callsOf('definitions.delete')).toEqual([[WS, 'old', { definitionId: 'old', purge: true }]]);
    expect((await call(deleting(g3), '/v2/workflow/definitions/delete', { definitionId: 'new-style' })).body).toEqual({
      result: { deleted: true, purged: false, definitionId: 'new-style' },
    });
  });

  it('a refusal of the definition workflow (runs in flight) is passed on and schedules stay', async () => {
    const fake = new FakeServices()
      .answer('definitions', 'get', () => Promise.resolve(g2))
      .answer('definitions', 'delete', () =>
        Promise.reject(new EngineError('FAILED_PRECONDITION', 'definition old has running executions')),
      );
    const { status, body } = await call(fake, '/v2/workflow/definitions/delete', { definitionId: 'old' });
    expect(status).toBe(400);
    expect(body).toEqual({ error: { status: 'FAILED_PRECONDITION', message: 'definition old has running executions' } });
    expect(fake.callsOf('schedules.sync')).toEqual([]);
  });
});

describe('executions', () => {
  const VIEW = { executionId: EXECUTION_ID, status: 'running', steps: [], webhookDeadLetters: [] };

  it('dispatch passes the request to the dispatcher and answers its result', async () => {
    const result = { executionId: EXECUTION_ID, correlationId: 'corr-1', deduplicated: false };
    const fake = new FakeServices().answer('dispatcher', 'dispatch', () => Promise.resolve(result));
    const data = {
      definitionId: 'blog-post',
      idempotencyKey: 'order-42',
      correlationId: 'corr-1',
      triggerContext: { documentUrl: 'https://example.com/doc' },
      organizationId: 'org-1',
      webhookUrl: 'https://hooks.example.com/a',
      webhookSecret: 'whsec-0123456789abcdef',
    };
    const { status, body } = await call(fake, '/v2/workflow/executions/dispatch', data);
    expect(status).toBe(200);
    expect(fake.calls).toEqual([{ call: 'dispatcher.dispatch', args: [WS, data] }]);
    expect(body).toEqual({ result });
  });

  it('get asks for the run of this workspace and answers its view', async () => {
    const fake = new FakeServices().answer('executions', 'get', () => Promise.resolve(VIEW as never));
    const { body } = await call(fake, '/v2/workflow/executions/get', { executionId: EXECUTION_ID });
    expect(fake.calls).toEqual([{ call: 'executions.get', args: [WS, EXECUTION_ID] }]);
    expect(body).toEqual({ result: VIEW });
  });

  it('list passes filters and paging (pageSize 50 by default) and answers the page', async () => {
    const page = { items: [VIEW], nextCursor: 'c2', hasMore: true };
    const fake = new FakeServices().answer('executions', 'list', () => Promise.resolve(page as never));
    const { body } = await call(fake, '/v2/workflow/executions/list', { definitionId: 'blog-post', status: 'running', cursor: 'c1' });
    expect(fake.calls).toEqual([
      { call: 'executions.list', args: [WS, { definitionId: 'blog-post', status: 'running', cursor: 'c1', pageSize: 50 }] },
    ]);
    expect(body).toEqual({ result: page });
  });

  it('cancel passes the reason (or none) and answers the reply', async () => {
    const reply = { executionId: EXECUTION_ID, status: 'cancelled' };
    const fake = new FakeServices().answer('executions', 'cancel', () => Promise.resolve(reply as never));
    expect((await call(fake, '/v2/workflow/executions/cancel', { executionId: EXECUTION_ID, reason: 'duplicate' })).body).toEqual({
      result: reply,
    });
    await call(fake, '/v2/workflow/executions/cancel', { executionId: EXECUTION_ID });
    expect(fake.callsOf('executions.cancel')).toEqual([
      [WS, EXECUTION_ID, 'duplicate'],
      [WS, EXECUTION_ID, undefined],
    ]);
  });

  it('getEvents passes sinceSeq and pageSize (0 and 100 by default) and answers the page', async () => {
    const page = { events: [{ seq: 1, type: 'execution.started' }], nextSeq: 1, hasMore: false };
    const fake = new FakeServices().answer('executions', 'events', () => Promise.resolve(page as never));
    expect((await call(fake, '/v2/workflow/executions/getEvents', { executionId: EXECUTION_ID })).body).toEqual({ result: page });
    await call(fake, '/v2/workflow/executions/getEvents', { executionId: EXECUTION_ID, sinceSeq: 4, pageSize: 10 });
    expect(fake.callsOf('executions.events')).toEqual([
      [WS, EXECUTION_ID, 0, 100],
      [WS, EXECUTION_ID, 4, 10],
    ]);
  });

  it('a run of another workspace is asked for under the caller’s own workspace', async () => {
    const fake = new FakeServices().answer('executions', 'get', () =>
      Promise.reject(new EngineError('NOT_FOUND', `execution ${EXECUTION_ID} not found`)),
    );
    const { status } = await call(fake, '/v2/workflow/executions/get', { executionId: EXECUTION_ID }, workspaces.b);
    expect(status).toBe(404);
    expect(fake.callsOf('executions.get')).toEqual([[workspaceIdFor(workspaces.b.apiKey), EXECUTION_ID]]);
  });
});

describe('steps: one Update each, its reply passed through', () => {
  const REPLY = { stepId: STEP_ID, status: 'completed', accepted: true };
  const stepping = () => new FakeServices().answer('executions', 'stepUpdate', () => Promise.resolve(REPLY as never));

  it.each([
    [
      'recordReviewerDecision',
      { executionId: EXECUTION_ID, stepId: STEP_ID, reviewerId: 'u1', decision: 'reject', reason: 'typos' },
      recordReviewerDecisionUpdate,
      { stepId: STEP_ID, reviewerId: 'u1', decision: 'reject', reason: 'typos' },
    ],
    [
      'recordAgentResolution',
      { executionId: EXECUTION_ID, stepId: STEP_ID, resolutionId: 'res-1', status: 'success', output: { summary: 'ok' } },
      recordAgentResolutionUpdate,
      { stepId: STEP_ID, resolutionId: 'res-1', status: 'success', output: { summary: 'ok' }, errorMessage: null, actorId: null },
    ],
    [
      'recordAgentResolution',
      { executionId: EXECUTION_ID, stepId: STEP_ID, responseId: 'resp-1', resolution: 'rejected', actorId: 'bot', reason: 'no' },
      recordAgentResolutionUpdate,
      { stepId: STEP_ID, resolutionId: 'resp-1', status: 'failure', output: {}, errorMessage: 'no', actorId: 'bot' },
    ],
    [
      'cancel',
      { executionId: EXECUTION_ID, stepId: STEP_ID, actorId: 'ops', reason: 'stale' },
      cancelStepUpdate,
      { stepId: STEP_ID, actorId: 'ops', reason: 'stale' },
    ],
    [
      'resolve',
      { executionId: EXECUTION_ID, stepId: STEP_ID, action: 'force-complete', actorId: 'ops', output: { done: true }, reason: 'manual' },
      resolveStepUpdate,
      { stepId: STEP_ID, action: 'force-complete', actorId: 'ops', output: { done: true }, reason: 'manual' },
    ],
  ])('steps/%s (%j)', async (verb, data, update, request) => {
    const fake = stepping();
    const { status, body } = await call(fake, `/v2/workflow/steps/${verb}`, data);
    expect(status).toBe(200);
    expect(fake.calls).toEqual([{ call: 'executions.stepUpdate', args: [WS, EXECUTION_ID, update, request] }]);
    expect(body).toEqual({ result: REPLY });
  });

  it("the workflow's refusal of an Update is the error envelope", async () => {
    const fake = new FakeServices().answer('executions', 'stepUpdate', () =>
      Promise.reject(new EngineError('FAILED_PRECONDITION', `step ${STEP_ID} is not waiting`)),
    );
    const data = { executionId: EXECUTION_ID, stepId: STEP_ID, reviewerId: 'u1', decision: 'approve' };
    const { status, body } = await call(fake, '/v2/workflow/steps/recordReviewerDecision', data);
    expect(status).toBe(400);
    expect(body).toEqual({ error: { status: 'FAILED_PRECONDITION', message: `step ${STEP_ID} is not waiting` } });
  });
});
