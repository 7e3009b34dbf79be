import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { DefinitionClient } from '../../../src/infra/temporal/definition-client';
import { WorkerWait } from '../../../src/infra/temporal/worker-wait';

/** Temporal's answer when it drops an Update it had not accepted (a gRPC ABORTED status). */
const aborted = (): Error => Object.assign(new Error('workflow update was aborted'), { code: 10, details: 'update was aborted' });

/**
 * A client whose definition Updates are dropped `dropped` times before one is answered, recording the
 * options of every attempt.
 */
const droppingClient = (dropped: number) => {
  const attempts: { name: string; updateId: unknown }[] = [];
  const answer = (name: string, options: { updateId?: unknown } | undefined, result: unknown): Promise<unknown> => {
    attempts.push({ name, updateId: options?.updateId });
    return attempts.length <= dropped ? Promise.reject(aborted()) : Promise.resolve(result);
  };
  const client = {
    withAbortSignal: <R>(_signal: AbortSignal, call: () => Promise<R>) => call(),
    workflow: {
      getHandle: () => ({
        executeUpdate: (update: { name: string }, options?: { updateId?: unknown }) => answer(update.name, options, { version: 2 }),
      }),
    },
  } as unknown as Client;
  return { client, attempts };
};

describe('definition writes sent again after Temporal dropped them', () => {
  it('carry one update id on every attempt, so the write applies once', async () => {
    const { client, attempts } = droppingClient(2);
    const definitions = new DefinitionClient(client, 'queue', undefined, new WorkerWait(client, 'queue'));
    await definitions.update('ws', 'def-a', { content: {} } as never);
    expect(attempts).toHaveLength(3);
    const ids = new Set(attempts.map((attempt) => attempt.updateId));
    expect(ids.size).toBe(1);
    expect(typeof attempts[0]!.updateId).toBe('string');
  });

  it('uses a new update id for each request', async () => {
    const { client, attempts } = droppingClient(0);
    const definitions = new DefinitionClient(client, 'queue', undefined, new WorkerWait(client, 'queue'));
    await definitions.update('ws', 'def-a', { content: {} } as never);
    await definitions.update('ws', 'def-a', { content: {} } as never);
    expect(attempts[0]!.updateId).not.toBe(attempts[1]!.updateId);
  });
});
