import { describe, expect, it } from 'vitest';
import {
  definitionWorkflowId,
  executionEndedSignal,
  inFlightExecutionsQuery,
  pinExecutionUpdate,
} from '../../src/contracts/definition-messages';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { canonical, record } from '../fixtures/canonical-definitions';
import { walkthroughDefinition } from '../fixtures/definitions';
import { DefinitionClient } from '../../src/infra/temporal/definition-client';
import { ExecutionClient } from '../../src/infra/temporal/execution-client';
import { toEngineError } from '../../api/error-mapper';
import { createDefinition, dispatch, expectError, freshId, getExecution, ok } from '../support/rest-api';
import { eventually, useEngine } from '../support/engine';

/*
 * The rules the contract states as guarantees hold at once, under concurrency, without waiting for
 * visibility (docs/behaviour.md, "Definitions"). Each race runs many rounds.
 */
const engine = useEngine();
const { admin } = engine;

const ROUNDS = 40;
/** The many-round tests do real work each round; a loaded machine must not fail them by the clock. */
const RACE_TIMEOUT_MS = 600_000;
/** How much later the delete starts than the dispatch (negative: the dispatch starts later). */
const OFFSETS_MS = [-150, -90, -45, -20, 0, 10, 25, 50];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const definitionHandle = (definitionId: string) =>
  engine.client.workflow.getHandle(definitionWorkflowId(engine.workspaceIdA, definitionId));
const executionHandle = (executionId: string) => engine.client.workflow.getHandle(executionWorkflowId(engine.workspaceIdA, executionId));
const listedIds = async (data: Record<string, unknown>): Promise<string[]> =>
  ok<{ items: Array<{ definitionId: string }> }>(await admin.post('definitions/list', { pageSize: 500, ...data })).items.map(
    (item) => item.definitionId,
  );

describe('dispatch and delete sent together', () => {
  it(
    `never leave a running execution of a deleted definition, and each delete answers what happened (${ROUNDS} rounds)`,
    async () => {
      const outcomes = { refused: 0, deletedBeforePin: 0, revoked: 0 };
      const deletedIds: string[] = [];
      const running: string[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const id = freshId('race');
        await createDefinition(admin, walkthroughDefinition(id));
        const keyed = round % 2 === 1;
        // One of the two starts a little later each round, so that they meet at every stage.
        const offset = OFFSETS_MS[(round >> 1) % OFFSETS_MS.length]!;
        const [dispatched, deleted] = await Promise.all([
          sleep(Math.max(0, -offset)).then(() =>
            admin.post('executions/dispatch', { definitionId: id, ...(keyed ? { idempotencyKey: `race-${id}` } : {}) }),
          ),
          sleep(Math.max(0, offset)).then(() => admin.post('definitions/delete', { definitionId: id })),
        ]);
        if (deleted.status === 200) {
          deletedIds.push(id);
          // The run was refused: the definition was already tombstoned, or its pin was revoked.
          const { message } = expectError(dispatched, 'FAILED_PRECONDITION', 400);
          expect(message).toMatch(/is deleted and cannot be dispatched|was revoked by a concurrent delete/);
          if (message.includes('revoked')) outcomes.revoked += 1;
          else outcomes.deletedBeforePin += 1;
          expect((await admin.post('definitions/get', { definitionId: id })).status).toBe(404);
          expect(await definitionHandle(id).query(inFlightExecutionsQuery, { limit: 10 })).toEqual({ count: 0, executionIds: [] });
        } else {
          outcomes.refused += 1;
          expect(deleted.body.error).toEqual({ status: 'FAILED_PRECONDITION', message: `definition ${id} has 1 execution(s) in flight` });
          const { executionId } = ok(dispatched);
          expect((await getExecution(admin, executionId)).status).toBe('running');
          expect(ok(await admin.post('definitions/get', { definitionId: id })).status).toBe('active');
          running.push(executionId);
        }
      }
      console.log(`dispatch+delete races: ${JSON.stringify(outcomes)}`);

      // Every run that was dispatched still runs, under a live definition; none of a deleted one
      // shows up in visibility once it has indexed the runs we know of.
      for (const executionId of running) {
        expect((await executionHandle(executionId).describe()).status.name).toBe('RUNNING');
      }
      const runningOf = async (): Promise<string[]> => {
        const ids: string[] = [];
        const query = `ApprovalKind = 'execution' AND ApprovalWorkspace = '${engine.workspaceIdA}' AND ExecutionStatus = 'Running'`;
        for await (const execution of engine.client.workflow.list({ query })) ids.push(execution.workflowId);
        return ids;
      };
      const visible = await eventually(runningOf, (ids) =>
        running.every((executionId) => ids.includes(executionWorkflowId(engine.workspaceIdA, executionId))),
      );
      const ofDeleted = await Promise.all(
        visible.map(async (workflowId) => {
          const { definitionId } = await getExecution(admin, workflowId.split('/').at(-1)!);
          return deletedIds.includes(definitionId) ? workflowId : null;
        }),
      );
      expect(ofDeleted.filter(Boolean)).toEqual([]);
    },
    RACE_TIMEOUT_MS,
  );
});

describe('dispatch of a definition too large to travel in the pin', () => {
  it('reads the pinned version after the pin, with or without an idempotency key', async () => {
    const id = freshId('large');
    const base = walkthroughDefinition(id);
    const extras = Array.from({ length: 9 }, (_, index) => ({
      nodeId: `agent-extra-${index}`,
      type: 'agent',
      config: { agentId: '__mock__', promptOverride: `${index}`.repeat(8000) },
    }));
    const created = await createDefinition(admin, {
      ...base,
      nodes: [...base.nodes, ...extras],
      edges: [...base.edges, ...extras.map((extra) => ({ from: 'agent-publish', to: extra.nodeId }))],
    });
    expect(JSON.stringify(created).length).toBeGreaterThan(64 * 1024);
    // The pin's reply carries only the version (the record is read after it).
    const reply = await definitionHandle(id).executeUpdate(pinExecutionUpdate, { args: [{ executionId: 'exec_1700000000000_largepin' }] });
    expect(reply).toEqual({ version: 1, record: null });
    for (const extra of [{}, { idempotencyKey: `large-${id}` }]) {
      const { executionId } = await dispatch(admin, { definitionId: id, ...extra });
      expect(await getExecution(admin, executionId)).toMatchObject({ status: 'running', definitionId: id, definitionVersion: 1 });
    }
  });
});

describe('executions in flight per definition', () => {
  it('a dispatch beyond 10,000 in flight answers RESOURCE_EXHAUSTED naming the limit', async () => {
    const id = freshId('full');
    // A definition that carries 9,999 pinned executions over from an earlier run.
    const inFlight = Array.from({ length: 9_999 }, (_, index) => `exec_1700000000000_${String(index).padStart(8, '0')}`);
    await engine.client.workflow.start('definitionWorkflow', {
      workflowId: definitionWorkflowId(engine.workspaceIdA, id),
      taskQueue: engine.taskQueue,
      args: [{ workspaceId: engine.workspaceIdA, definitionId: id, record: record(canonical(walkthroughDefinition(id))), inFlight }],
    });
    await dispatch(admin, { definitionId: id });
    const refused = expectError(await admin.post('executions/dispatch', { definitionId: id }), 'RESOURCE_EXHAUSTED', 429);
    expect(refused.message).toBe(
      `definition ${id} has 10000 executions in flight, the limit per definition; dispatch again when some have ended`,
    );
  });
});

describe('writes followed at once by a list', () => {
  it(
    `create, update and delete are each reflected by the very next list (${ROUNDS} rounds)`,
    async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const id = freshId('rw');
        const organizationId = `org-${id}`;
        const created = await createDefinition(admin, { ...walkthroughDefinition(id), scope: { level: 'organization', organizationId } });
        expect(await listedIds({ organizationId })).toEqual([id]);
        expect((await listedIds({})).at(0)).toBe(id);

        const updated = ok(
          await admin.post('definitions/update', { definitionId: id, organizationId, ifVersion: 1, name: `round ${round}` }),
        );
        const [item] = ok(await admin.post('definitions/list', { organizationId })).items;
        expect(item).toMatchObject({ definitionId: id, version: 2, name: `round ${round}`, updatedAt: updated.updatedAt });
        expect(updated.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);

        ok(await admin.post('definitions/delete', { definitionId: id, organizationId }));
        expect(await listedIds({ organizationId })).toEqual([]);
        expect(await listedIds({})).not.toContain(id);
      }
    },
    RACE_TIMEOUT_MS,
  );

  it('a definition recreated after its delete is listed again, at version 1', async () => {
    const id = freshId('again');
    await createDefinition(admin, walkthroughDefinition(id));
    ok(await admin.post('definitions/delete', { definitionId: id }));
    await createDefinition(admin, walkthroughDefinition(id));
    const listed = ok(await admin.post('definitions/list', { pageSize: 500 })).items.filter((item: any) => item.definitionId === id);
    expect(listed.map((item: any) => item.version)).toEqual([1]);
  });

  it('creates beyond the workspace limit answer RESOURCE_EXHAUSTED naming the limit', async () => {
    const limited = new DefinitionClient(engine.client, engine.taskQueue, { maxDefinitionsPerWorkspace: 2 });
    const workspaceId = `ws_limit_${freshId('w').replace(/-/g, '_')}`;
    await limited.create(workspaceId, canonical(walkthroughDefinition(freshId('cap'))));
    await limited.create(workspaceId, canonical(walkthroughDefinition(freshId('cap'))));
    const refused = await limited.create(workspaceId, canonical(walkthroughDefinition(freshId('cap')))).then(
      () => null,
      (error: unknown) => toEngineError(error).toBody(),
    );
    expect(refused).toEqual({
      status: 'RESOURCE_EXHAUSTED',
      message: 'the workspace has 2 definitions, the limit is 2; delete one before creating another',
    });
  });
});

describe('crash windows of a delete', () => {
  it('an execution that never reports its end (terminated directly) is asked itself, and the delete goes through', async () => {
    const id = freshId('term');
    await createDefinition(admin, walkthroughDefinition(id));
    const { executionId } = await dispatch(admin, { definitionId: id });
    await executionHandle(executionId).terminate('operator');
    expect(await definitionHandle(id).query(inFlightExecutionsQuery, { limit: 10 })).toEqual({ count: 1, executionIds: [executionId] });
    expect(ok(await admin.post('definitions/delete', { definitionId: id }))).toEqual({ deleted: true, definitionId: id });
  });

  it('a pinned execution that a stalled dispatch had not started yet is revoked; the dispatch then fails, keyed or not', async () => {
    for (const key of [undefined, `stalled-${freshId('key')}`]) {
      const id = freshId('stall');
      await createDefinition(admin, walkthroughDefinition(id));
      const definitions = new DefinitionClient(engine.client, engine.taskQueue);
      const executions = new ExecutionClient(engine.client, engine.taskQueue);
      const { executionId, dispatchedAt } = executions.newExecutionId();
      const definition = await definitions.pin(engine.workspaceIdA, id, { executionId });
      // The dispatching API stalls here; meanwhile the definition is deleted.
      expect(ok(await admin.post('definitions/delete', { definitionId: id }))).toEqual({ deleted: true, definitionId: id });
      const stalled = executions
        .start(
          { workspaceId: engine.workspaceIdA, definition, triggerContext: {}, folderId: null, webhook: null, idempotencyKey: key },
          { executionId, dispatchedAt, release: () => definitions.release(engine.workspaceIdA, id, executionId) },
        )
        .then(
          () => null,
          (error: unknown) => toEngineError(error).toBody(),
        );
      expect(await stalled).toEqual({
        status: 'FAILED_PRECONDITION',
        message: `dispatch of definition ${id} was revoked by a concurrent delete before its run started; no run was started`,
      });
      expectError(await admin.post('executions/get', { executionId }), 'NOT_FOUND', 404);
      if (key) {
        // The key stays with the revoked dispatch; a later dispatch with it is told so.
        const other = freshId('other');
        await createDefinition(admin, walkthroughDefinition(other));
        const again = expectError(
          await admin.post('executions/dispatch', { definitionId: other, idempotencyKey: key }),
          'FAILED_PRECONDITION',
          400,
        );
        expect(again.message).toContain(`idempotencyKey ${key} belongs to a dispatch that was revoked`);
      }
    }
  });

  it('a pin whose dispatch never comes back does not hold the delete back', async () => {
    const id = freshId('lost');
    await createDefinition(admin, walkthroughDefinition(id));
    const definitions = new DefinitionClient(engine.client, engine.taskQueue);
    await definitions.pin(engine.workspaceIdA, id, { executionId: 'exec_1700000000000_lostpin0' });
    expect(ok(await admin.post('definitions/delete', { definitionId: id }))).toEqual({ deleted: true, definitionId: id });
  });

  it('keeps its in-flight executions across continue-as-new, and a late end report of an old run changes nothing', async () => {
    const id = freshId('can');
    await createDefinition(admin, walkthroughDefinition(id));
    const executionIds: string[] = [];
    for (let index = 0; index < 30; index += 1) {
      executionIds.push(
        (await dispatch(admin, { definitionId: id, ...(index % 3 === 0 ? { idempotencyKey: `can-${id}-${index}` } : {}) })).executionId,
      );
    }
    for (const executionId of executionIds.slice(0, 15)) ok(await admin.post('executions/cancel', { executionId }));
    // The suite's server suggests continue-as-new at 150 events: this definition has continued.
    const history = await definitionHandle(id).fetchHistory();
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
    expect(expectError(await admin.post('definitions/delete', { definitionId: id }), 'FAILED_PRECONDITION', 400).message).toBe(
      `definition ${id} has 15 execution(s) in flight`,
    );
    for (const executionId of executionIds.slice(15)) ok(await admin.post('executions/cancel', { executionId }));
    expect(ok(await admin.post('definitions/delete', { definitionId: id }))).toEqual({ deleted: true, definitionId: id });

    // Re-created at version 1: a report from a run of the deleted version cannot release a new run.
    await createDefinition(admin, walkthroughDefinition(id));
    const { executionId } = await dispatch(admin, { definitionId: id });
    await definitionHandle(id).signal(executionEndedSignal, { executionId: executionIds[0]! });
    expect(expectError(await admin.post('definitions/delete', { definitionId: id }), 'FAILED_PRECONDITION', 400).message).toBe(
      `definition ${id} has 1 execution(s) in flight`,
    );
    ok(await admin.post('executions/cancel', { executionId }));
    expect(ok(await admin.post('definitions/delete', { definitionId: id }))).toEqual({ deleted: true, definitionId: id });
  });
});

describe('purge, decided by the same workflow state', () => {
  const PURGE_ROUNDS = ROUNDS / 2;
  const purge = (definitionId: string) => admin.post('definitions/delete', { definitionId, purge: true });
  const purged = (definitionId: string) => ({ deleted: true, purged: true, definitionId });

  it(
    `purge and dispatch sent together never leave a run of a purged definition, and lists read the outcome (${PURGE_ROUNDS} rounds)`,
    async () => {
      const outcomes = { refused: 0, deletedBeforePin: 0, revoked: 0, endedBeforePin: 0 };
      for (let round = 0; round < PURGE_ROUNDS; round += 1) {
        const id = freshId('purge-race');
        const organizationId = `org-${id}`;
        await createDefinition(admin, { ...walkthroughDefinition(id), scope: { level: 'organization', organizationId } });
        const keyed = round % 2 === 1;
        const offset = OFFSETS_MS[(round >> 1) % OFFSETS_MS.length]!;
        const [dispatched, deleted] = await Promise.all([
          sleep(Math.max(0, -offset)).then(() =>
            admin.post('executions/dispatch', { definitionId: id, ...(keyed ? { idempotencyKey: `purge-race-${id}` } : {}) }),
          ),
          sleep(Math.max(0, offset)).then(() => purge(id)),
        ]);
        if (deleted.status === 200) {
          expect(deleted.body.result).toEqual(purged(id));
          // The dispatch was refused: tombstoned, revoked, or the purged workflow had already ended.
          if (dispatched.status === 404) {
            expect(dispatched.body.error).toEqual({ status: 'NOT_FOUND', message: expect.stringContaining(id) });
            outcomes.endedBeforePin += 1;
          } else {
            const { message } = expectError(dispatched, 'FAILED_PRECONDITION', 400);
            expect(message).toMatch(/is deleted and cannot be dispatched|was revoked by a concurrent delete/);
            if (message.includes('revoked')) outcomes.revoked += 1;
            else outcomes.deletedBeforePin += 1;
          }
          expect((await admin.post('definitions/get', { definitionId: id })).status).toBe(404);
          expect(await listedIds({ organizationId })).toEqual([]);
        } else {
          outcomes.refused += 1;
          expect(deleted.body.error).toEqual({ status: 'FAILED_PRECONDITION', message: `definition ${id} has 1 execution(s) in flight` });
          const { executionId } = ok(dispatched);
          expect((await getExecution(admin, executionId)).status).toBe('running');
          expect(await listedIds({ organizationId })).toEqual([id]);
          // Once the run has ended, the purge goes through and the next list no longer has it.
          ok(await admin.post('executions/cancel', { executionId }));
          expect(ok(await purge(id))).toEqual(purged(id));
          expect(await listedIds({ organizationId })).toEqual([]);
        }
        // The id is free again at version 1, and the next list shows it so.
        expect(
          (await createDefinition(admin, { ...walkthroughDefinition(id), scope: { level: 'organization', organizationId } })).version,
        ).toBe(1);
        expect(
          ok(await admin.post('definitions/list', { organizationId })).items.map((item: any) => [item.definitionId, item.version]),
        ).toEqual([[id, 1]]);
      }
      console.log(`dispatch+purge races: ${JSON.stringify(outcomes)}`);
    },
    RACE_TIMEOUT_MS,
  );

  it(
    `purge then list, re-create then list, purge again: each list reads the write before it (${PURGE_ROUNDS} rounds)`,
    async () => {
      for (let round = 0; round < PURGE_ROUNDS; round += 1) {
        const id = freshId('purge-rw');
        const organizationId = `org-${id}`;
        const body = { ...walkthroughDefinition(id), scope: { level: 'organization', organizationId } };
        await createDefinition(admin, body);
        ok(await admin.post('definitions/update', { definitionId: id, ifVersion: 1, name: `round ${round}` }));
        expect(ok(await purge(id))).toEqual(purged(id));
        expect(await listedIds({ organizationId })).toEqual([]);
        expect(await listedIds({})).not.toContain(id);

        expect((await createDefinition(admin, body)).version).toBe(1);
        const [item] = ok(await admin.post('definitions/list', { organizationId })).items;
        expect(item).toMatchObject({ definitionId: id, version: 1, name: body.name });
        // The new chain is pinned and guarded like any definition: a run keeps the next purge refused.
        const { executionId } = await dispatch(admin, { definitionId: id });
        expect(expectError(await purge(id), 'FAILED_PRECONDITION', 400).message).toBe(`definition ${id} has 1 execution(s) in flight`);
        expect(await listedIds({ organizationId })).toEqual([id]);
        ok(await admin.post('executions/cancel', { executionId }));
        expect(ok(await purge(id))).toEqual(purged(id));
        expect(await listedIds({ organizationId })).toEqual([]);
      }
    },
    RACE_TIMEOUT_MS,
  );

  it('revokes a stalled pinned dispatch; the revoked id is not among the purged runs, so the dispatch can never start', async () => {
    const id = freshId('purge-stall');
    await createDefinition(admin, walkthroughDefinition(id));
    const definitions = new DefinitionClient(engine.client, engine.taskQueue);
    const executions = new ExecutionClient(engine.client, engine.taskQueue);
    const { executionId, dispatchedAt } = executions.newExecutionId();
    const definition = await definitions.pin(engine.workspaceIdA, id, { executionId });
    // The dispatching API stalls here; meanwhile the definition is purged.
    expect(ok(await purge(id))).toEqual(purged(id));
    // The revoked id is held by its own workflow, not by the definition's runs that the purge removes.
    expect((await executionHandle(executionId).describe()).type).toBe('revokedExecutionWorkflow');
    const stalled = await executions
      .start(
        { workspaceId: engine.workspaceIdA, definition, triggerContext: {}, folderId: null, webhook: null },
        { executionId, dispatchedAt, release: () => definitions.release(engine.workspaceIdA, id, executionId) },
      )
      .then(
        () => null,
        (error: unknown) => toEngineError(error).toBody(),
      );
    expect(stalled).toEqual({
      status: 'FAILED_PRECONDITION',
      message: `dispatch of definition ${id} was revoked by a concurrent delete before its run started; no run was started`,
    });
    expectError(await admin.post('executions/get', { executionId }), 'NOT_FOUND', 404);
    // A dispatch after the purge finds no definition: its workflow has ended (or is already removed).
    expect(expectError(await admin.post('executions/dispatch', { definitionId: id }), 'NOT_FOUND', 404).message).toContain(id);
  });
});
