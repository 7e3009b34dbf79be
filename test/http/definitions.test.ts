import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../api/app';
import { parallelReviewDefinition, walkthroughDefinition } from '../fixtures/definitions';
import { callerFor, eventually, useEngine } from '../support/engine';
import { freshId } from '../support/rest-api';

const engine = useEngine();

const create = (data: unknown) => engine.admin.post('definitions/create', data);

describe('definitions/create', () => {
  it('stores version 1 and returns the canonical view', async () => {
    const id = freshId();
    const { status, body } = await create(walkthroughDefinition(id));
    expect(status).toBe(200);
    const view = body.result;
    expect(view).toMatchObject({
      definitionId: id,
      name: 'Blog post approval',
      description: null,
      version: 1,
      status: 'active',
      scope: { level: 'apiKey', organizationId: null, documentId: null },
      groups: null,
      loops: null,
      triggers: null,
      tags: null,
      custom: null,
    });
    expect(view.createdAt).toBe(view.updatedAt);
    expect(Number.isInteger(view.createdAt)).toBe(true);
    // onReject is stripped; its reject edge is synthesized and appended.
    const review = view.nodes.find((node: any) => node.nodeId === 'human-review');
    expect(review.config.onReject).toBeUndefined();
    expect(view.edges).toHaveLength(2);
    const rejectEdge = view.edges.find((edge: any) => edge.to === 'agent-followup');
    expect(rejectEdge.from).toBe('human-review');
    expect(JSON.parse(rejectEdge.when)).toEqual({ op: 'eq', args: [{ var: 'output.decision' }, 'reject'] });
    // Agent nodes echo the resolved `blocking: false` default.
    expect(view.nodes.find((node: any) => node.nodeId === 'agent-publish').config.blocking).toBe(false);
  });

  it('accepts the strict-mode version of the parallel review example with its loop', async () => {
    const { status, body } = await create(parallelReviewDefinition(freshId()));
    expect(status).toBe(200);
    expect(body.result.groups).toHaveLength(1);
    expect(body.result.loops).toHaveLength(1);
  });

  it('normalises an infix `when` to the canonical JSON AST', async () => {
    const definition = walkthroughDefinition(freshId());
    definition.edges[0]!.when = "output.decision == 'approve'";
    const { status, body } = await create(definition);
    expect(status).toBe(200);
    expect(JSON.parse(body.result.edges[0].when)).toEqual({ op: 'eq', args: [{ var: 'output.decision' }, 'approve'] });
  });

  it('answers ALREADY_EXISTS for a definitionId in use', async () => {
    const definition = walkthroughDefinition(freshId());
    expect((await create(definition)).status).toBe(200);
    const again = await create(definition);
    expect(again.status).toBe(409);
    expect(again.body.error.status).toBe('ALREADY_EXISTS');
    expect(again.body.result).toBeUndefined();
  });

  it.each([
    ['a bad definitionId', { definitionId: 'No' }, 'data.definitionId'],
    ['a missing name', { name: undefined }, 'data.name'],
    ['an unknown field', { colour: 'red' }, 'data.colour'],
    ['an empty node list', { nodes: [], edges: [] }, 'data.nodes'],
  ])('rejects %s with INVALID_ARGUMENT naming the field', async (_label, patch, field) => {
    const { status, body } = await create({ ...walkthroughDefinition(freshId()), ...patch });
    expect(status).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain(field);
  });

  it('reports every linter violation with the code first', async () => {
    const definition = {
      definitionId: freshId(),
      name: 'broken',
      nodes: [
        { nodeId: 'a', type: 'agent', config: { agentId: '__mock__' } },
        { nodeId: 'b', type: 'agent', config: { agentId: '__mock__' } },
        { nodeId: 'c', type: 'agent', config: { agentId: '__mock__' }, slaMs: 1000 },
      ],
      edges: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'c', to: 'ghost' },
      ],
    };
    const { status, body } = await create(definition);
    expect(status).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    const codes = body.error.details.violations.map((violation: any) =>
      typeof violation === 'string' ? violation.split(':')[0] : violation.code,
    );
    expect(codes).toEqual(expect.arrayContaining(['dangling-edge', 'cycle-detected']));
    expect(body.error.message).toMatch(/^(dangling-edge|cycle-detected)/);
  });

  it('enforces strict mode', async () => {
    const definition = parallelReviewDefinition(freshId());
    delete (definition as any).loops;
    const { status, body } = await create(definition);
    expect(status).toBe(400);
    expect(body.error.message).toBe('Human nodes missing a reject path: human-legal, human-brand');
  });
});

describe('definitions/get', () => {
  it('returns the stored view and NOT_FOUND for unknown ids', async () => {
    const id = freshId();
    await create(walkthroughDefinition(id));
    const found = await engine.admin.post('definitions/get', { definitionId: id });
    expect(found.status).toBe(200);
    expect(found.body.result.definitionId).toBe(id);
    const missing = await engine.admin.post('definitions/get', { definitionId: freshId('missing') });
    expect(missing.status).toBe(404);
    expect(missing.body.error.status).toBe('NOT_FOUND');
  });
});

describe('definitions/update', () => {
  it('merges a partial update and bumps the version', async () => {
    const id = freshId();
    const created = (await create(walkthroughDefinition(id))).body.result;
    const { status, body } = await engine.admin.post('definitions/update', {
      definitionId: id,
      ifVersion: 1,
      name: 'Blog post approval (v2)',
    });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ version: 2, name: 'Blog post approval (v2)', createdAt: created.createdAt });
    expect(body.result.nodes).toEqual(created.nodes);
    expect(body.result.edges).toEqual(created.edges);
    expect(body.result.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
  });

  it('refuses a stale ifVersion with the documented message', async () => {
    const id = freshId();
    await create(walkthroughDefinition(id));
    await engine.admin.post('definitions/update', { definitionId: id, ifVersion: 1, name: 'two' });
    const stale = await engine.admin.post('definitions/update', { definitionId: id, ifVersion: 1, name: 'three' });
    expect(stale.status).toBe(400);
    expect(stale.body.error).toEqual({ status: 'FAILED_PRECONDITION', message: 'Version conflict: expected 1, current 2' });
  });

  it('lets exactly one of two racing updates with the same ifVersion win', async () => {
    const id = freshId();
    await create(walkthroughDefinition(id));
    const results = await Promise.all(
      ['left', 'right'].map((name) => engine.admin.post('definitions/update', { definitionId: id, ifVersion: 1, name })),
    );
    expect(results.map((result) => result.status).sort()).toEqual([200, 400]);
    const loser = results.find((result) => result.status === 400)!;
    expect(loser.body.error.status).toBe('FAILED_PRECONDITION');
    const winner = results.find((result) => result.status === 200)!;
    const stored = await engine.admin.post('definitions/get', { definitionId: id });
    expect(stored.body.result).toMatchObject({ version: 2, name: winner.body.result.name });
  });

  it('validates the merged result like a create', async () => {
    const id = freshId();
    await create(walkthroughDefinition(id));
    const { status, body } = await engine.admin.post('definitions/update', {
      definitionId: id,
      ifVersion: 1,
      edges: [{ from: 'human-review', to: 'nowhere', when: walkthroughDefinition(id).edges[0]!.when }],
    });
    expect(status).toBe(400);
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain('dangling-edge');
  });

  it.each([
    ['a missing ifVersion', { name: 'x' }, 'data.ifVersion'],
    ['an unknown definition', { ifVersion: 1, definitionId: 'never-created-def' }, 'NOT_FOUND'],
  ])('rejects %s', async (_label, patch, expected) => {
    const id = freshId();
    await create(walkthroughDefinition(id));
    const { body } = await engine.admin.post('definitions/update', { definitionId: id, ...patch });
    expect(JSON.stringify(body.error)).toContain(expected);
  });
});

describe('definitions/delete', () => {
  it('tombstones, hides, refuses a second delete, and frees the id for version 1', async () => {
    const id = freshId();
    await create(walkthroughDefinition(id));
    await engine.admin.post('definitions/update', { definitionId: id, ifVersion: 1, name: 'v2' });
    const deleted = await engine.admin.post('definitions/delete', { definitionId: id });
    expect(deleted.status).toBe(200);
    expect(deleted.body.result).toEqual({ deleted: true, definitionId: id });
    expect((await engine.admin.post('definitions/get', { definitionId: id })).status).toBe(404);
    const again = await engine.admin.post('definitions/delete', { definitionId: id });
    expect(again.status).toBe(404);
    const recreated = await create(walkthroughDefinition(id));
    expect(recreated.status).toBe(200);
    expect(recreated.body.result.version).toBe(1);
  });
});

describe('scope', () => {
  it('finds a scoped definition by id alone, and refuses scope ids that do not match', async () => {
    const orgId = freshId();
    await create({ ...walkthroughDefinition(orgId), scope: { level: 'organization', organizationId: 'org-1' } });
    const docId = freshId();
    await create({
      ...walkthroughDefinition(docId),
      scope: { level: 'document', organizationId: 'org-1', documentId: 'doc-9' },
    });
    const get = (data: unknown) => engine.admin.post('definitions/get', data);
    expect((await get({ definitionId: orgId })).status).toBe(200);
    expect((await get({ definitionId: orgId, organizationId: 'org-2' })).status).toBe(404);
    const org = await get({ definitionId: orgId, organizationId: 'org-1' });
    expect(org.status).toBe(200);
    expect(org.body.result.scope).toEqual({ level: 'organization', organizationId: 'org-1', documentId: null });
    expect((await get({ definitionId: docId })).status).toBe(200);
    expect((await get({ definitionId: docId, organizationId: 'org-1' })).status).toBe(200);
    expect((await get({ definitionId: docId, organizationId: 'org-1', documentId: 'doc-8' })).status).toBe(404);
    expect((await get({ definitionId: docId, organizationId: 'org-2', documentId: 'doc-9' })).status).toBe(404);
    expect((await get({ definitionId: docId, organizationId: 'org-1', documentId: 'doc-9' })).status).toBe(200);
    expect((await engine.admin.post('definitions/delete', { definitionId: orgId, organizationId: 'org-2' })).status).toBe(404);
    expect((await engine.admin.post('definitions/delete', { definitionId: orgId })).status).toBe(200);
    expect((await engine.admin.post('definitions/delete', { definitionId: docId, organizationId: 'org-1' })).status).toBe(200);
  });

  it('rejects an organization scope without organizationId', async () => {
    const { status, body } = await create({ ...walkthroughDefinition(freshId()), scope: { level: 'organization' } });
    expect(status).toBe(400);
    expect(body.error.message).toContain('organizationId');
  });
});

describe('definitions/list', () => {
  it('pages active definitions newest first with an integer cursor, null at the end', async () => {
    const caller = engine.otherWorkspace;
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const id = freshId('page');
      ids.push(id);
      expect((await caller.post('definitions/create', walkthroughDefinition(id))).status).toBe(200);
    }
    await caller.post('definitions/delete', { definitionId: ids[0] });
    const expected = ids.slice(1).reverse();
    const listAll = async (): Promise<string[]> => {
      const seen: string[] = [];
      let cursor: number | undefined;
      for (let page = 0; page < 10; page += 1) {
        const { status, body } = await caller.post('definitions/list', { pageSize: 2, ...(cursor ? { cursor } : {}) });
        expect(status).toBe(200);
        seen.push(...body.result.items.map((item: any) => item.definitionId));
        if (body.result.nextCursor === null) break;
        expect(Number.isInteger(body.result.nextCursor)).toBe(true);
        cursor = body.result.nextCursor;
      }
      return seen;
    };
    const seen = await eventually(listAll, (value) => value.filter((id) => ids.includes(id)).length === 4);
    expect(seen.filter((id) => ids.includes(id))).toEqual(expected);
  });

  it('filters by organizationId', async () => {
    const id = freshId();
    await create({ ...walkthroughDefinition(id), scope: { level: 'organization', organizationId: 'org-list' } });
    const listed = await eventually(
      () => engine.admin.post('definitions/list', { organizationId: 'org-list' }),
      (response) => response.body.result?.items?.length === 1,
    );
    expect(listed.body.result.items.map((item: any) => item.definitionId)).toEqual([id]);
  });

  it('rejects an out-of-range pageSize', async () => {
    const { status, body } = await engine.admin.post('definitions/list', { pageSize: 501 });
    expect(status).toBe(400);
    expect(body.error.message).toContain('data.pageSize');
  });
});

describe('workspace isolation', () => {
  it('keeps a definition of workspace A invisible and unaddressable with B credentials', async () => {
    const id = freshId();
    await create(walkthroughDefinition(id));
    const b = engine.otherWorkspace;
    expect((await b.post('definitions/get', { definitionId: id })).status).toBe(404);
    expect((await b.post('definitions/update', { definitionId: id, ifVersion: 1, name: 'hijack' })).status).toBe(404);
    expect((await b.post('definitions/delete', { definitionId: id })).status).toBe(404);
    // B may use the same id for its own definition.
    expect((await b.post('definitions/create', walkthroughDefinition(id))).status).toBe(200);
    const listedByB = await b.post('definitions/list', { pageSize: 500 });
    expect(listedByB.body.result.items.every((item: any) => item.name === 'Blog post approval')).toBe(true);
    expect((await engine.admin.post('definitions/get', { definitionId: id })).body.result.version).toBe(1);
  });
});

describe('envelope and credentials', () => {
  it.each([
    ['no credentials', undefined, 'missing x-velt-api-key header'],
    ['an unknown api key', { apiKey: 'nope', authToken: 'token-a-admin' }, 'invalid x-velt-api-key / x-velt-auth-token pair'],
    ['a wrong token', { apiKey: 'x', authToken: 'y' }, 'invalid'],
  ])('answers UNAUTHENTICATED for %s', async (_label, credentials, message) => {
    const { status, body } = await callerFor(engine.baseUrl, credentials).post('definitions/list', {});
    expect(status).toBe(401);
    expect(body.error.status).toBe('UNAUTHENTICATED');
    expect(body.error.message).toContain(message);
  });

  it('refuses a token shorter than 32 characters before hashing it, saying why', async () => {
    const { status, body } = await callerFor(engine.baseUrl, { apiKey: 'x', authToken: 'a-31-character-token-0123456789' }).post(
      'definitions/list',
      {},
    );
    expect(status).toBe(401);
    expect(body.error).toEqual({
      status: 'UNAUTHENTICATED',
      message: 'invalid x-velt-api-key / x-velt-auth-token pair: x-velt-auth-token is shorter than 32 characters',
    });
  });

  it.each([
    ['malformed JSON', '{"data": {', 'request body is not valid JSON'],
    ['a body without data', '{"definitionId": "x"}', 'definitionId: unknown top-level field'],
    ['data that is not an object', '{"data": [1]}', 'data: must be an object'],
    ['an empty body', '', 'request body is not valid JSON'],
  ])('answers INVALID_ARGUMENT for %s', async (_label, body, message) => {
    const response = await engine.admin.raw('/v2/workflow/definitions/list', { body });
    expect(response.status).toBe(400);
    expect(response.body.error.status).toBe('INVALID_ARGUMENT');
    expect(response.body.error.message).toContain(message);
  });

  it('refuses a body over 1 MiB with the envelope', async () => {
    const padding = 'x'.repeat(MAX_BODY_BYTES + 10);
    const response = await engine.admin.raw('/v2/workflow/definitions/create', {
      body: JSON.stringify({ data: { ...walkthroughDefinition(freshId()), description: padding } }),
    });
    expect([400, 413]).toContain(response.status);
    expect(response.body.error.status).toBe('INVALID_ARGUMENT');
  });

  it('answers NOT_FOUND for unknown paths and 405 with Allow: POST for other methods, with the envelope', async () => {
    const unknown = await engine.admin.post('definitions/rename', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.status).toBe('NOT_FOUND');
    const wrongMethod = await engine.admin.raw('/v2/workflow/definitions/list', { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error).toEqual({
      status: 'INVALID_ARGUMENT',
      message: 'method GET is not allowed on /v2/workflow/definitions/list; use POST',
    });
  });

  it('serves the OpenAPI description and a reference page', async () => {
    const doc: any = await (await fetch(`${engine.baseUrl}/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v2/workflow/definitions/create', '/v2/workflow/definitions/list']));
    const createBody = doc.paths['/v2/workflow/definitions/create'].post.requestBody.content['application/json'].schema;
    expect(createBody.properties.data.properties.definitionId).toBeDefined();
    const page = await fetch(`${engine.baseUrl}/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/openapi.json');
  });
});
