import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { executionWorkflowId } from '../../../src/contracts/execution-messages';

export interface AgentAttempts {
  /** Agent activities that needed more than one attempt, i.e. attempts lost with a killed worker. */
  retried: number;
  /** Why the attempt before the last one ended, as Temporal recorded it, with counts. */
  lastFailures: Record<string, number>;
}

/** Reads the runs' Temporal histories: how many agent attempts were lost and retried. */
export const agentAttempts = async (address: string, workspaceId: string, executionIds: string[]): Promise<AgentAttempts> => {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const result: AgentAttempts = { retried: 0, lastFailures: {} };
  try {
    for (const executionId of executionIds) {
      const history = await client.workflow.getHandle(executionWorkflowId(workspaceId, executionId)).fetchHistory();
      for (const event of history.events ?? []) {
        const started = event.activityTaskStartedEventAttributes;
        if (!started || (started.attempt ?? 1) <= 1) continue;
        result.retried += 1;
        const failure = started.lastFailure;
        const reason = failure?.timeoutFailureInfo
          ? `${proto.temporal.api.enums.v1.TimeoutType[failure.timeoutFailureInfo.timeoutType ?? 0]}`
          : (failure?.message ?? 'unknown');
        result.lastFailures[reason] = (result.lastFailures[reason] ?? 0) + 1;
      }
    }
  } finally {
    await connection.close();
  }
  return result;
};
