import { ScheduleNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import {
  definitionWorkflowId,
  deleteDefinitionUpdate,
  getDefinitionQuery,
  updateDefinitionUpdate,
} from '../../src/contracts/definition-messages';
import { triggerScheduleId } from '../../src/contracts/scheduled-run';
import { eventually, useEngine } from '../support/engine';
import { createDefinition, freshId, ok, stepOf, waitForStatus } from '../support/rest-api';

/*
 * Schedule triggers (docs/inbound.md, "Schedules"): each is a Temporal Schedule written, paused and
 * deleted with its definition, and a firing starts a run with triggerContext.schedule.
 */

const engine = useEngine();
const { admin } = engine;

type Json = Record<string, any>;

const nightly = (extra: Json = {}): Json => ({
  triggerId: 'nightly',
  schedule: {
    cron: '0 2 * * *',
    timezone: 'America/Los_Angeles',
    enabled: true,
    payloadTemplate: { url: 'https://example.com/audit' },
    ...extra,
  },
});

const auditDefinition = (definitionId: string, triggers: Json[] | null): Json => ({
  definitionId,
  name: 'Nightly audit',
  nodes: [
    { nodeId: 'scan', type: 'agent', config: { agentId: '__mock__', urlPath: 'schedule.payload.url' } },
    { nodeId: 'report', type: 'agent', config: { agentId: '__mock__' } },
  ],
  // Taken only when the run knows which schedule fired it, and when.
  edges: [
    { from: 'scan', to: 'report', when: 'execution.input.schedule.triggerId == "nightly" && execution.input.schedule.scheduledAt > 0' },
  ],
  triggers,
});

const scheduleOf = (definitionId: string, triggerId = 'nightly') =>
  engine.client.schedule.getHandle(triggerScheduleId(engine.workspaceIdA, definitionId, triggerId));

const gone = async (definitionId: string): Promise<boolean> =>
  scheduleOf(definitionId)
    .describe()
    .then(
      () => false,
      (error: unknown) => {
        if (error instanceof ScheduleNotFoundError) return true;
        throw error;
      },
    );

const update = async (definitionId: string, changes: Json): Promise<Json> => {
  const { version } = ok(await admin.post('definitions/get', { definitionId }));
  return ok(await admin.post('definitions/update', { definitionId, ifVersion: version, ...changes }));
};

describe('schedule triggers', () => {
  it('are Temporal Schedules that follow their definition: created, changed, paused, removed', async () => {
    const definitionId = freshId('audit');
    await createDefinition(admin, auditDefinition(definitionId, [nightly()]));
    const created = await scheduleOf(definitionId).describe();
    expect(created.spec.calendars?.length ?? 0).toBeGreaterThan(0);
    expect(created.spec.timezone).toBe('America/Los_Angeles');
    expect(created.policies.overlap).toBe('SKIP');
    expect(created.state.paused).toBe(false);
    expect(created.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledRunWorkflow' });
    expect((created.action as { args: Json[] }).args[0]).toMatchObject({ triggerId: 'nightly', definition: { version: 1 } });

    await update(definitionId, { triggers: [nightly({ cron: '30 6 * * MON-FRI', timezone: 'Europe/Berlin', enabled: false })] });
    const paused = await scheduleOf(definitionId).describe();
    expect(paused.state.paused).toBe(true);
    expect(paused.spec.timezone).toBe('Europe/Berlin');
    expect((paused.action as { args: Json[] }).args[0]).toMatchObject({ definition: { version: 2 } });

    await update(definitionId, { triggers: [nightly()] });
    expect((await scheduleOf(definitionId).describe()).state.paused).toBe(false);

    await update(definitionId, { triggers: null });
    expect(await gone(definitionId)).toBe(true);
  });

  it('are deleted with their definition', async () => {
    const definitionId = freshId('audit');
    await createDefinition(admin, auditDefinition(definitionId, [nightly()]));
    expect(await gone(definitionId)).toBe(false);
    ok(await admin.post('definitions/delete', { definitionId }));
    expect(await gone(definitionId)).toBe(true);
  });

  it('start a run with triggerContext.schedule when they fire', async () => {
    const definitionId = freshId('audit');
    await createDefinition(admin, auditDefinition(definitionId, [nightly()]));
    await scheduleOf(definitionId).trigger();
    const runs = await eventually(
      async () => ok<{ items: Json[] }>(await admin.post('executions/list', { definitionId })).items,
      (items) => items.length > 0,
      30_000,
    );
    expect(runs).toHaveLength(1);
    const view = await waitForStatus(admin, runs[0]!.executionId, 'completed', 30_000);
    expect(view.definitionVersion).toBe(1);
    expect(view.idempotencyKey).toMatch(/^sched:nightly:\d{13}$/);
    expect(stepOf(view, 'scan').output.resolvedUrl).toBe('https://example.com/audit');
    expect(stepOf(view, 'report').status).toBe('completed');
  });

  it('put themselves right when the definition changed behind them (a write whose schedule sync never ran)', async () => {
    const runsOf = async (definitionId: string) => ok<{ items: Json[] }>(await admin.post('executions/list', { definitionId })).items;
    const definitionOf = (definitionId: string) =>
      engine.client.workflow.getHandle(definitionWorkflowId(engine.workspaceIdA, definitionId));

    // The trigger disabled in the stored definition only: the firing pauses the schedule and starts nothing.
    const disabledId = freshId('audit');
    await createDefinition(admin, auditDefinition(disabledId, [nightly()]));
    const stored = await definitionOf(disabledId).query(getDefinitionQuery);
    const content = { ...stored!.content, triggers: [nightly({ enabled: false })] };
    await definitionOf(disabledId).executeUpdate(updateDefinitionUpdate, { args: [{ ifVersion: 1, content: content as never }] });
    await scheduleOf(disabledId).trigger();
    const paused = await eventually(
      () => scheduleOf(disabledId).describe(),
      (description) => description.state.paused,
      30_000,
    );
    expect(paused.state.paused).toBe(true);

    // The definition deleted without its schedule: the firing deletes the schedule and starts nothing.
    const deletedId = freshId('audit');
    await createDefinition(admin, auditDefinition(deletedId, [nightly()]));
    await definitionOf(deletedId).executeUpdate(deleteDefinitionUpdate, { args: [{}] });
    await scheduleOf(deletedId).trigger();
    expect(
      await eventually(
        () => gone(deletedId),
        (isGone) => isGone,
        30_000,
      ),
    ).toBe(true);

    for (const definitionId of [disabledId, deletedId]) {
      const runs = await eventually(
        () => runsOf(definitionId),
        (items) => items.length > 0,
        1500,
      );
      expect(runs).toEqual([]);
    }
  });
});
