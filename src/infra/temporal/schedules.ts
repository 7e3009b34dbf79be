import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { scheduledRunWorkflowId, triggerScheduleId, type ScheduledRunInput } from '../../contracts/scheduled-run';
import type { CanonicalDefinition } from '../../core/definition/canonical';
import type { ScheduleTrigger } from '../../core/definition/schema/trigger';
import type { StoredDefinition } from '../../core/definition/stored';
import { canonicalTimeZone } from '../../core/triggers/cron';

type RunAction = ScheduleOptionsStartWorkflowAction<(input: ScheduledRunInput) => Promise<unknown>>;

// The shortest window Temporal accepts: a firing the server could not take on time is skipped, never replayed.
const NO_CATCH_UP = '10 seconds';

const scheduleTriggers = (content: CanonicalDefinition | null): Array<{ triggerId: string; schedule: ScheduleTrigger }> =>
  (content?.triggers ?? []).flatMap((trigger) => (trigger.schedule ? [{ triggerId: trigger.triggerId, schedule: trigger.schedule }] : []));

/**
 * Keeps each schedule trigger's Temporal Schedule in step with its definition (docs/inbound.md,
 * "Schedules"): written with every version (its action pins that version), paused while
 * `enabled` is false, deleted when the trigger or the definition goes.
 */
export class TriggerSchedules {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly options: { indexed: boolean } = { indexed: true },
  ) {}

  /** `current` is the definition as now stored (null or tombstoned once deleted); `previous` what it replaced. */
  async sync(workspaceId: string, previous: CanonicalDefinition | null, current: StoredDefinition | null): Promise<void> {
    const live = current?.status === 'active' ? current : null;
    const wanted = scheduleTriggers(live?.content ?? null);
    const keep = new Set(wanted.map(({ triggerId }) => triggerId));
    const definitionId = live?.definitionId ?? current?.definitionId ?? previous?.definitionId;
    if (definitionId === undefined) return;
    for (const { triggerId } of scheduleTriggers(previous)) {
      if (!keep.has(triggerId)) await this.remove(workspaceId, definitionId, triggerId);
    }
    if (!live) return;
    for (const { triggerId, schedule } of wanted) await this.write(workspaceId, live, triggerId, schedule);
  }

  private async write(workspaceId: string, definition: StoredDefinition, triggerId: string, schedule: ScheduleTrigger): Promise<void> {
    const scheduleId = triggerScheduleId(workspaceId, definition.definitionId, triggerId);
    const input: ScheduledRunInput = {
      workspaceId,
      triggerId,
      definition,
      payload: schedule.payloadTemplate ?? null,
      indexed: this.options.indexed,
    };
    const options: ScheduleUpdateOptions<RunAction> = {
      spec: { cronExpressions: [schedule.cron], timezone: canonicalTimeZone(schedule.timezone) ?? schedule.timezone },
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledRunWorkflow',
        workflowId: scheduledRunWorkflowId(workspaceId, definition.definitionId, triggerId),
        taskQueue: this.taskQueue,
        args: [input],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: NO_CATCH_UP },
      state: { paused: !schedule.enabled, note: schedule.enabled ? undefined : 'enabled: false' },
    };
    try {
      await this.client.schedule.create({ scheduleId, ...options, memo: { definitionVersion: definition.version } });
      return;
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
    const handle = this.client.schedule.getHandle(scheduleId);
    await handle.update<(input: ScheduledRunInput) => Promise<unknown>>(() => options);
    // The paused flag of an update is not applied to a running schedule by every server version.
    const { state } = await handle.describe();
    if (state.paused && schedule.enabled) await handle.unpause('enabled: true');
    if (!state.paused && !schedule.enabled) await handle.pause('enabled: false');
  }

  private async remove(workspaceId: string, definitionId: string, triggerId: string): Promise<void> {
    try {
      await this.client.schedule.getHandle(triggerScheduleId(workspaceId, definitionId, triggerId)).delete();
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
}
