import { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { definitionWorkflowId, getDefinitionQuery } from '../src/contracts/definition-messages';
import { triggerScheduleId } from '../src/contracts/scheduled-run';
import type { StoredDefinition } from '../src/core/definition/stored';

export interface ScheduledTriggerRef {
  workspaceId: string;
  definitionId: string;
  triggerId: string;
}

export type ScheduledTriggerState = 'live' | 'paused' | 'removed';

/** Whether the definition, as stored now, still has this schedule trigger, and whether it is enabled. */
export const scheduledTriggerState = (record: StoredDefinition | null, triggerId: string): ScheduledTriggerState => {
  if (record?.status !== 'active') return 'removed';
  const trigger = record.content.triggers?.find((entry) => entry.triggerId === triggerId && entry.schedule !== undefined);
  if (!trigger?.schedule) return 'removed';
  return trigger.schedule.enabled ? 'live' : 'paused';
};

/**
 * Asked by each firing before it starts a run (docs/inbound.md, "Schedules"): a schedule the API
 * could not delete or pause after a write (it died in between) is put right here, so it never starts
 * a run of a deleted definition or a removed or disabled trigger.
 */
export const checkScheduledTrigger = async (ref: ScheduledTriggerRef): Promise<ScheduledTriggerState> => {
  const { client } = Context.current();
  let record: StoredDefinition | null;
  try {
    record = await client.workflow.getHandle(definitionWorkflowId(ref.workspaceId, ref.definitionId)).query(getDefinitionQuery);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    record = null;
  }
  const state = scheduledTriggerState(record, ref.triggerId);
  if (state === 'live') return state;
  const schedule = client.schedule.getHandle(triggerScheduleId(ref.workspaceId, ref.definitionId, ref.triggerId));
  try {
    if (state === 'removed') await schedule.delete();
    else await schedule.pause('enabled: false');
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  return state;
};
