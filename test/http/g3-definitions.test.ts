import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { definitionWorkflowId } from '../../src/contracts/definition-messages';
import { walkthroughDefinition } from '../fixtures/definitions';
import { eventually, useEngine } from '../support/engine';
import { createDefinition, dispatch, expectError, freshId, ok, waitForStep } from '../support/rest-api';

/*
 * The definition endpoints for G3 clients (docs/g3.md): purge, full-replace updates, the error
 * formats, and the compiled block, over HTTP.
 */

const engine = useEngine();
const { admin } = engine;

type Json = Record<string, any>;

const signoff = (definitionId: string, extra: Json = {}): Json => ({
  definitionId,
  name: 'Document sign-off',
  nodes: [
    { nodeId: 'manager-approval', type: 'human', config: { reviewers: [{ userId: 'u_manager_01', mandatory: true }] } },
    { nodeId: 'rework-notice', type: 'agent', config: { agentId: '__mock__', urlPath: 'documentUrl' } },
  ],
  edges: [{ from: 'manager-approval', to: 'rework-notice', on: 'reject' }],
  ...extra,
});

const runOf = (definitionId: string, runId?: string) =>
  engine.client.workflow.getHandle(definitionWorkflowId(engine.workspaceIdA, definitionId), runId);

/** Temporal deletes a workflow run in the background, some seconds after the request. */
const runGone = async (definitionId: string, runId: string): Promise<boolean> => {
  try {
    await runOf(definitionId, runId).describe();
    return false;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return true;
    throw error;
  }
};

describe('definitions/delete with purge', () => {
  it('removes the stored versions: the reply says purged, the run ends and is deleted, the id restarts at version 1', async () => {
    const id = freshId('purge');
    await createDefinition(admin, signoff(id));
    ok(await admin.post('definitions/update', { definitionId: id, ifVersion: 1, name: 'v2' }));
    const { runId } = await runOf(id).describe();
    expect(ok(await admin.post('definitions/delete', { definitionId: id, purge: true }))).toEqual({
      deleted: true,
      purged: true,
      definitionId: id,
    });
    expectError(await admin.post('definitions/get', { definitionId: id }), 'NOT_FOUND', 404);
    const recreated = await createDefinition(admin, signoff(id, { name: 'recreated' }));
    expect(recreated).toMatchObject({ version: 1, name: 'recreated' });
    expect(await eventually(() => runGone(id, runId), Boolean, 120_000)).toBe(true);
    // Deleting the purged run left the definition created after it alone.
    expect(ok(await admin.post('definitions/get', { definitionId: id }))).toMatchObject({ version: 1, name: 'recreated' });
  }, 180_000);

  it('a soft delete of a G3 definition says purged: false; the id is reusable too', async () => {
    const id = freshId('soft');
    await createDefinition(admin, signoff(id));
    expect(ok(await admin.post('definitions/delete', { definitionId: id }))).toEqual({ deleted: true, purged: false, definitionId: id });
    expect((await createDefinition(admin, signoff(id))).version).toBe(1);
  });

  it('a G2 definition purged on request answers with purged; without purge its reply is unchanged', async () => {
    const purgedId = freshId('g2-purge');
    await createDefinition(admin, walkthroughDefinition(purgedId));
    expect(ok(await admin.post('definitions/delete', { definitionId: purgedId, purge: true }))).toEqual({
      deleted: true,
      purged: true,
      definitionId: purgedId,
    });
    const keptId = freshId('g2-soft');
    await createDefinition(admin, walkthroughDefinition(keptId));
    expect(ok(await admin.post('definitions/delete', { definitionId: keptId }))).toEqual({ deleted: true, definitionId: keptId });
  });

  it('is refused while an execution is in flight, like a soft delete, and leaves the definition in place', async () => {
    const id = freshId('busy');
    await createDefinition(admin, signoff(id));
    const { executionId } = await dispatch(admin, { definitionId: id, triggerContext: { documentUrl: 'https://x.example' } });
    await waitForStep(admin, executionId, 'manager-approval', 'waiting');
    const error = await eventually(
      () => admin.post('definitions/delete', { definitionId: id, purge: true }),
      (response) => response.status === 400,
    );
    expect(expectError(error, 'FAILED_PRECONDITION', 400).message).toBe(`definition ${id} has 1 execution(s) in flight`);
    expect(ok(await admin.post('definitions/get', { definitionId: id })).version).toBe(1);
  });

  it('refuses a purge that is not a boolean, naming the field', async () => {
    const error = expectError(await admin.post('definitions/delete', { definitionId: freshId(), purge: 'yes' }), 'INVALID_ARGUMENT', 400);
    expect(error.message).toMatch(/^data\.purge: /);
    expect(error.details.issues).toEqual([{ code: 'invalid_type', path: ['purge'], message: expect.any(String) }]);
  });
});

describe('definitions/update for G3 bodies', () => {
  it('a body with name, nodes and edges replaces the definition: omitted optionals are removed', async () => {
    const id = freshId('replace');
    await createDefinition(
      admin,
      signoff(id, {
        description: 'd',
        tags: ['legal'],
        custom: { team: 'ops' },
        scope: { level: 'organization', organizationId: 'org-1' },
      }),
    );
    const { definitionId: _id, ...body } = signoff(id);
    const next = ok(await admin.post('definitions/update', { definitionId: id, ifVersion: 1, ...body, name: 'replaced' }));
    expect(next).toMatchObject({ version: 2, name: 'replaced', description: null, tags: null, custom: null });
    expect(next.scope).toEqual({ level: 'apiKey', organizationId: null, documentId: null });
  });

  it('a rename alone is a partial update that keeps the authored edges', async () => {
    const id = freshId('rename');
    const created = await createDefinition(admin, signoff(id, { tags: ['legal'] }));
    const next = ok(await admin.post('definitions/update', { definitionId: id, ifVersion: 1, name: 'renamed' }));
    expect(next).toMatchObject({ version: 2, name: 'renamed', tags: ['legal'] });
    expect(next.edges).toEqual(created.edges);
  });

  it('still requires ifVersion', async () => {
    const id = freshId('ifversion');
    await createDefinition(admin, signoff(id));
    const { definitionId: _id, ...body } = signoff(id);
    expect(expectError(await admin.post('definitions/update', { definitionId: id, ...body }), 'INVALID_ARGUMENT', 400).message).toMatch(
      /^data\.ifVersion: /,
    );
  });
});

describe('errors for G3 definitions', () => {
  it('a linter failure: "Definition linter failed: " and the JSON array of { code, message }', async () => {
    const base = signoff(freshId('lint'));
    const body = {
      ...base,
      nodes: [...base.nodes, { nodeId: 'island', type: 'agent', config: { agentId: '__mock__', url: 'https://x.example' } }],
      edges: [...base.edges, { from: 'island', to: 'island' }],
    };
    const error = expectError(await admin.post('definitions/create', body), 'INVALID_ARGUMENT', 400);
    const list = [
      { code: 'cycle-detected', message: 'cycle-detected: island -> island' },
      {
        code: 'unreachable-node',
        message: 'unreachable-node: "island" cannot be reached from any root node (a node with no incoming edges)',
      },
    ];
    expect(error.message).toBe(`Definition linter failed: ${JSON.stringify(list)}`);
    expect(error.details.violations).toEqual(list);
  });

  it('a schema failure carries zod\u2019s issues in details.issues', async () => {
    const error = expectError(
      await admin.post(
        'definitions/create',
        signoff(freshId('schema'), { edges: [{ from: 'manager-approval', to: 'rework-notice', on: 'declined' }] }),
      ),
      'INVALID_ARGUMENT',
      400,
    );
    expect(error.message).toMatch(/^data\.edges\[0\]\.on: /);
    expect(error.details.issues).toEqual([{ code: 'invalid_value', path: ['edges', 0, 'on'], message: expect.any(String) }]);
    expect(error.details.violations).toEqual([error.message]);
  });

  it('mixing the edge model with onReject is refused', async () => {
    const body = signoff(freshId('mixed'));
    body.nodes[0].config.onReject = { routeToNodeId: 'rework-notice' };
    expect(expectError(await admin.post('definitions/create', body), 'INVALID_ARGUMENT', 400).message).toBe(
      'definition mixes the edge model (on/loop) with onReject/loops; use one',
    );
  });
});

describe('definitions/list', () => {
  it('shows G3 definitions as get does: authored edges, compiled, no loops key', async () => {
    const id = freshId('listed');
    const created = await createDefinition(admin, signoff(id));
    const page = await eventually(
      () => admin.post('definitions/list', { pageSize: 500 }),
      (response) => response.body.result?.items.some((item: Json) => item.definitionId === id),
    );
    const item = ok(page).items.find((candidate: Json) => candidate.definitionId === id);
    expect(item).toEqual(created);
    expect(item).not.toHaveProperty('loops');
  });
});

describe('the compiled block on G2 views', () => {
  it('is added, read-only, and nothing else changes', async () => {
    const view = await createDefinition(admin, walkthroughDefinition(freshId('g2view')));
    expect(view.compiled.generation).toBe('g2');
    expect(view.compiled.forwardEdges.map((edge: Json) => `${edge.from}->${edge.to}:${edge.role}`)).toEqual([
      'human-review->agent-publish:approve',
      'human-review->agent-followup:reject',
    ]);
    expect(view.loops).toBeNull();
    const error = expectError(
      await admin.post('definitions/update', { definitionId: view.definitionId, ifVersion: 1, compiled: view.compiled }),
      'INVALID_ARGUMENT',
    );
    expect(error.message).toBe('data.compiled: Unrecognized key: "compiled"');
  });
});
