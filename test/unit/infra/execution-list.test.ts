import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { ExecutionClient } from '../../../src/infra/temporal/execution-client';
import { WorkerWait } from '../../../src/infra/temporal/worker-wait';

/*
 * executions/list reads one page of visibility per call and queries only the runs on it
 * (docs/behaviour.md, "Listing executions"), however many runs the workspace has: a fake Temporal
 * counts the calls.
 */

const RUNS = 1_000;

const fakeTemporal = () => {
  const runs = Array.from({ length: RUNS }, (_, i) => ({ workflowId: `approval-exec/ws/exec_${1_000_000 + i}`, startedAt: 1_000_000 + i }));
  const calls = { list: [] as Array<{ query: string; pageSize: number; token: string | undefined }>, queries: 0 };
  const client = {
    options: { namespace: 'default' },
    withAbortSignal: <R>(_signal: AbortSignal, fn: () => Promise<R>) => fn(),
    workflowService: {
      listWorkflowExecutions: (request: { query: string; pageSize: number; nextPageToken?: Uint8Array }) => {
        const token = request.nextPageToken ? Buffer.from(request.nextPageToken).toString('utf8') : undefined;
        calls.list.push({ query: request.query, pageSize: request.pageSize, token });
        const from = token === undefined ? 0 : Number(token);
        const page = runs.slice(from, from + request.pageSize);
        const next = from + page.length;
        return Promise.resolve({
          executions: page.map((run) => ({ execution: { workflowId: run.workflowId } })),
          nextPageToken: next < runs.length ? Buffer.from(String(next), 'utf8') : new Uint8Array(),
        });
      },
    },
    workflow: {
      getHandle: (workflowId: string) => ({
        query: () => {
          calls.queries += 1;
          const run = runs.find((candidate) => candidate.workflowId === workflowId)!;
          return Promise.resolve({ executionId: workflowId.split('/').at(-1), startedAt: run.startedAt, steps: [] });
        },
      }),
    },
  } as unknown as Client;
  return { client, calls };
};

describe('executions/list on a workspace of 1,000 runs', () => {
  it('reads one visibility page of pageSize per call and queries only the runs on it', async () => {
    const { client, calls } = fakeTemporal();
    const executions = new ExecutionClient(client, 'q', { indexed: true }, new WorkerWait(client, 'q'));
    const first = await executions.list('ws', { pageSize: 25 });
    expect(calls.list).toHaveLength(1);
    expect(calls.list[0]).toMatchObject({ pageSize: 25, token: undefined });
    expect(calls.list[0]!.query).toContain(`ApprovalWorkspace = 'ws'`);
    expect(calls.queries).toBe(25);
    expect(first.items).toHaveLength(25);
    expect(first.hasMore).toBe(true);
    // In visibility's order, even though the fake's views have ascending startedAt: a re-sort would
    // let runs trade places across pages.
    expect(first.items.map((item) => item.executionId)).toEqual(Array.from({ length: 25 }, (_, i) => `exec_${1_000_000 + i}`));

    const second = await executions.list('ws', { pageSize: 25, cursor: first.nextCursor! });
    expect(calls.list).toHaveLength(2);
    expect(calls.list[1]).toMatchObject({ pageSize: 25, token: '25' });
    expect(calls.queries).toBe(50);
    const seen = new Set([...first.items, ...second.items].map((item) => item.executionId));
    expect(seen.size).toBe(50);
  });

  it('pages through every run exactly once, one visibility call per page', async () => {
    const { client, calls } = fakeTemporal();
    const executions = new ExecutionClient(client, 'q', { indexed: true }, new WorkerWait(client, 'q'));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await executions.list('ws', { pageSize: 500, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.executionId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(RUNS);
    expect(seen).toHaveLength(RUNS);
    expect(calls.list).toHaveLength(2);
    expect(calls.queries).toBe(RUNS);
  });

  it('keeps a G3 startedAt cursor through the pages: bound in the query, views at or after it left out', async () => {
    const { client, calls } = fakeTemporal();
    const executions = new ExecutionClient(client, 'q', { indexed: true }, new WorkerWait(client, 'q'));
    const page = await executions.list('ws', { pageSize: 10, cursor: '1000005' });
    expect(calls.list[0]!.query).toContain('ApprovalStartedAt <= 1000004');
    expect(page.items.every((item) => item.startedAt < 1_000_005)).toBe(true);
    await executions.list('ws', { pageSize: 10, cursor: page.nextCursor! });
    expect(calls.list[1]!.query).toContain('ApprovalStartedAt <= 1000004');
  });
});
