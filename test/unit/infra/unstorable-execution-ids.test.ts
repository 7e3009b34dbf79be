import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { cancelStepUpdate } from '../../../src/contracts/execution-messages';
import { ExecutionClient } from '../../../src/infra/temporal/execution-client';
import { WorkerWait } from '../../../src/infra/temporal/worker-wait';

/*
 * An execution id Temporal cannot store (U+0000, a lone surrogate) names no run. The operator pages
 * take ids from the URL, past the request schemas, so the client answers NOT_FOUND itself instead of
 * sending the id to Temporal, which on PostgreSQL fails it only after retries (docs/api.md,
 * "Common formats"). A fake Temporal counts the handles asked for.
 */
const countingTemporal = () => {
  const asked: string[] = [];
  const client = {
    options: { namespace: 'default' },
    withAbortSignal: <R>(_signal: AbortSignal, fn: () => Promise<R>) => fn(),
    workflow: {
      getHandle: (workflowId: string) => {
        asked.push(workflowId);
        return {
          query: () => Promise.reject(new Error('reached Temporal')),
          executeUpdate: () => Promise.reject(new Error('reached Temporal')),
        };
      },
    },
  } as unknown as Client;
  return { client, asked };
};

describe('execution ids Temporal cannot store', () => {
  it.each([
    ['U+0000', 'exec_1_\u0000'],
    ['a lone surrogate', 'exec_1_\ud800'],
  ])('an id with %s is NOT_FOUND on every read and Update, without a call to Temporal', async (_name, executionId) => {
    const { client, asked } = countingTemporal();
    const executions = new ExecutionClient(client, 'q', { indexed: true }, new WorkerWait(client, 'q'));
    const calls: Array<() => Promise<unknown>> = [
      () => executions.get('ws', executionId),
      () => executions.workItem('ws', executionId),
      () => executions.events('ws', executionId, 0, 10),
      () => executions.cancel('ws', executionId, 'why'),
      () => executions.stepUpdate('ws', executionId, cancelStepUpdate, { stepId: 's', actorId: 'u' }),
    ];
    for (const call of calls) await expect(call()).rejects.toMatchObject({ status: 'NOT_FOUND' });
    expect(await executions.callbackKey('ws', executionId)).toBeNull();
    expect(asked).toEqual([]);
  });

  it('an ordinary id does reach Temporal', async () => {
    const { client, asked } = countingTemporal();
    const executions = new ExecutionClient(client, 'q', { indexed: true }, new WorkerWait(client, 'q'));
    await expect(executions.get('ws', 'exec_1_\u0001')).rejects.toThrow('reached Temporal');
    expect(asked).toEqual(['approval-exec/ws/exec_1_\u0001']);
  });
});
