import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { cancelStepUpdate } from '../../../src/contracts/execution-messages';
import { collectInbox } from '../../../api/ui/inbox';
import type { EngineServices } from '../../../api/services';
import { DefinitionClient } from '../../../src/infra/temporal/definition-client';
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

describe('ids from URLs that Temporal cannot store', () => {
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

  it.each([
    ['U+0000', 'review\u0000'],
    ['a lone surrogate', 'review-\ud800'],
    ['an id that is no definition id', 'Review Flow'],
  ])(
    'a definition id with %s is no definition: NOT_FOUND on the definition page reads, an empty inbox, no call to Temporal',
    async (_name, definitionId) => {
      const { client, asked } = countingTemporal();
      const definitions = new DefinitionClient(client, 'q', undefined, new WorkerWait(client, 'q'));
      expect(await definitions.get('ws', definitionId)).toBeNull();
      await expect(definitions.getActive('ws', definitionId)).rejects.toMatchObject({ status: 'NOT_FOUND' });
      await expect(definitions.versions('ws', definitionId)).rejects.toMatchObject({ status: 'NOT_FOUND' });
      const executions = new ExecutionClient(client, 'q', { indexed: true }, new WorkerWait(client, 'q'));
      const inbox = await collectInbox({ executions } as unknown as EngineServices, 'ws', { definitionId }, 1);
      expect(inbox).toMatchObject({ rows: [], hasMore: false, scannedRuns: 0 });
      expect(asked).toEqual([]);
    },
  );
});
