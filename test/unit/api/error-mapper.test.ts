import { readFileSync } from 'node:fs';
import { ApplicationFailure, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it, vi } from 'vitest';
import { HTTP_STATUS } from '../../../api/http-status';
import { EngineError, ERROR_CODES } from '../../../src/core/errors';
import type { Logger } from '../../../src/infra/logger';
import { FakeServices } from '../../support/fake-services';
import { bodyOf, inMemoryApi, inMemoryWorkspaces } from '../../support/in-memory-api';

/*
 * The one place where anything a service throws becomes the documented envelope (docs/api.md,
 * "Error codes"; docs/behaviour.md, "Errors"), driven through a real endpoint: the service fake
 * throws, the test reads the HTTP reply.
 */

const workspaces = await inMemoryWorkspaces();
const EXECUTION_ID = 'exec_1700000000000_abcdefgh';

/** A rejection with whatever a service might throw (not always an Error: that is the point). */
const rejectWith = async (thrown: unknown): Promise<never> => {
  await Promise.resolve();
  throw thrown;
};

const answerOf = async (thrown: unknown) => {
  const error = vi.fn();
  const logger = { error, warn: vi.fn(), info: vi.fn() } as unknown as Logger;
  const fake = new FakeServices().answer('executions', 'get', () => rejectWith(thrown));
  const response = await inMemoryApi({ workspaces, fake, logger }).post('/v2/workflow/executions/get', { executionId: EXECUTION_ID });
  return { status: response.status, body: await bodyOf(response), logged: error.mock.calls, headers: response.headers };
};

/** What the Temporal client throws for a gRPC status (a ServiceError whose cause carries the code). */
const grpc = (code: number, name: string, details: string): ServiceError =>
  new ServiceError(`${name}: ${details}`, { cause: Object.assign(new Error(`${code} ${name}: ${details}`), { code, details }) });

/** The HTTP status of each code as docs/api.md ("Error codes") documents it: `| \`CODE\` | 400 | … |`. */
const DOCUMENTED_HTTP: Record<string, number> = Object.fromEntries(
  [...readFileSync('docs/api.md', 'utf8').matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map(([, code, http]) => [code, Number(http)]),
);

describe('an EngineError a service throws', () => {
  it('covers every code of the contract, each documented with its HTTP status', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    expect(Object.keys(DOCUMENTED_HTTP).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each(ERROR_CODES)('%s is answered with its HTTP status and the envelope, message and details kept', async (code) => {
    const answer = await answerOf(new EngineError(code, `the ${code} message`, { field: 'x' }));
    expect(answer.status).toBe(DOCUMENTED_HTTP[code]);
    expect(answer.body).toEqual({ error: { status: code, message: `the ${code} message`, details: { field: 'x' } } });
  });

  it('without details has no details key', async () => {
    expect((await answerOf(new EngineError('NOT_FOUND', 'execution x not found'))).body).toEqual({
      error: { status: 'NOT_FOUND', message: 'execution x not found' },
    });
  });
});

describe('a refusal that comes back from a workflow', () => {
  it('is read from the ApplicationFailure type down the cause chain (an Update validator or handler)', async () => {
    const failure = ApplicationFailure.create({
      type: 'FAILED_PRECONDITION',
      message: 'step s1 is not waiting (status: completed)',
      details: [{ stepId: 's1' }],
      nonRetryable: true,
    });
    const answer = await answerOf(new WorkflowUpdateFailedError('Workflow Update failed', failure));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: { status: 'FAILED_PRECONDITION', message: 'step s1 is not waiting (status: completed)', details: { stepId: 's1' } },
    });
  });

  it('with a type that is not one of our codes is INTERNAL, its message never shown', async () => {
    const failure = ApplicationFailure.create({ type: 'TypeError', message: 'cannot read properties of undefined (reading "secret")' });
    const answer = await answerOf(new WorkflowUpdateFailedError('Workflow Update failed', failure));
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: { status: 'INTERNAL', message: 'internal error' } });
    expect(answer.logged).toHaveLength(1);
  });
});

describe('Temporal failures', () => {
  it.each([
    [
      'RESOURCE_EXHAUSTED (a server limit) is 429 naming the limit',
      grpc(8, 'RESOURCE_EXHAUSTED', 'namespace rate limit exceeded.'),
      429,
      'RESOURCE_EXHAUSTED',
      'Temporal refused the request because a server limit was reached (namespace rate limit exceeded); retry later',
    ],
    [
      'a payload over the blob size limit is 400 naming the limit',
      grpc(3, 'INVALID_ARGUMENT', 'Blob data size exceeds limit.'),
      400,
      'INVALID_ARGUMENT',
      "the request is larger than Temporal accepts in one payload (Blob data size exceeds limit: Temporal's limit.blobSize.error, 2 MiB by default); send less data",
    ],
    [
      'UNAVAILABLE is 503 in our own words (the address stays in the log)',
      grpc(14, 'UNAVAILABLE', 'No connection established. Last error: connect ECONNREFUSED 10.0.0.7:7233'),
      503,
      'UNAVAILABLE',
      'Temporal is unavailable; retry later',
    ],
    [
      'DEADLINE_EXCEEDED is 504',
      grpc(4, 'DEADLINE_EXCEEDED', 'Deadline exceeded after 10.001s'),
      504,
      'DEADLINE_EXCEEDED',
      'the request timed out; retry later',
    ],
    [
      'an Update aborted after every retry is UNAVAILABLE (retry), not INTERNAL',
      grpc(10, 'ABORTED', 'Workflow Update was aborted.'),
      503,
      'UNAVAILABLE',
      'Temporal could not apply the request at this moment; retry',
    ],
  ])('%s', async (_name, thrown, http, code, message) => {
    const answer = await answerOf(thrown);
    expect(answer.status).toBe(http);
    expect(answer.body).toEqual({ error: { status: code, message } });
    // A documented answer, not an unexpected error: nothing to log.
    expect(answer.logged).toHaveLength(0);
  });

  // A service turns "no such workflow" into NOT_FOUND itself (it knows which object was asked for);
  // one that escapes is a bug or a misconfiguration (e.g. a namespace that does not exist).
  it.each([
    ['a gRPC NOT_FOUND', grpc(5, 'NOT_FOUND', 'Namespace approval-secret-ns is not found.')],
    [
      'a WorkflowNotFoundError',
      new WorkflowNotFoundError('workflow not found for ID: approval-exec/ws_1/x', 'approval-exec/ws_1/x', undefined),
    ],
    ['any other error', new Error('connect to postgres://admin:hunter2@10.0.0.9 failed')],
    ['a thrown string', 'boom'],
  ])('%s that escapes a service is 500 INTERNAL with a generic message, the detail only in the log', async (_name, thrown) => {
    const answer = await answerOf(thrown);
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ error: { status: 'INTERNAL', message: 'internal error' } });
    expect(JSON.stringify(answer.body)).not.toMatch(/hunter2|approval-secret-ns|approval-exec/);
    expect(answer.logged).toHaveLength(1);
    const logged = answer.logged[0]?.[0] as { err: unknown; path: string };
    expect(logged.path).toBe('/v2/workflow/executions/get');
    // Hono hands only Errors to the error handler: a thrown non-Error arrives wrapped, itself the cause.
    expect(thrown instanceof Error ? logged.err : (logged.err as Error).cause).toBe(thrown);
  });
});
