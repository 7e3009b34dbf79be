import { describe, expect, it } from 'vitest';
import { ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { toEngineError } from '../../../api/error-mapper';
import { isAbortedUpdate, retryAbortedUpdate } from '../../../src/infra/temporal/aborted-update';

/** What the client throws when Temporal drops an Update whose workflow task failed (UnhandledCommand). */
const taskFailureAbort = (): ServiceError =>
  new ServiceError('Workflow Update failed', {
    cause: Object.assign(
      new Error('9 FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.'),
      {
        code: 9,
        details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
      },
    ),
  });

const grpc = (code: number, details: string): ServiceError =>
  new ServiceError('Workflow Update failed', { cause: Object.assign(new Error(`${code} ${details}`), { code, details }) });

describe('isAbortedUpdate', () => {
  it('recognises the Updates Temporal dropped before accepting them', () => {
    expect(isAbortedUpdate(taskFailureAbort())).toBe(true);
    expect(isAbortedUpdate(grpc(14, 'Workflow Update was aborted.'))).toBe(true);
    expect(isAbortedUpdate(grpc(14, 'workflow operation can not be applied because workflow is closing'))).toBe(true);
  });

  it('waits its turn when too many Updates are in flight on one run', () => {
    expect(isAbortedUpdate(grpc(8, 'limit on number of concurrent in-flight updates has been reached (10)'))).toBe(true);
    expect(isAbortedUpdate(grpc(8, 'limit on total payload size of in-flight updates has been reached (1048576 bytes)'))).toBe(true);
    expect(isAbortedUpdate(grpc(8, 'limit on number of total updates has been reached (2000)'))).toBe(false);
    expect(isAbortedUpdate(grpc(8, 'namespace rate limit exceeded'))).toBe(false);
  });

  it('leaves every other failure alone', () => {
    expect(isAbortedUpdate(grpc(9, 'namespace is not active'))).toBe(false);
    expect(isAbortedUpdate(grpc(3, 'Unable to perform workflow execution update due to unexpected workflow task failure.'))).toBe(false);
    expect(isAbortedUpdate(new WorkflowNotFoundError('workflow execution already completed', 'wf', undefined))).toBe(false);
    expect(isAbortedUpdate(new Error('boom'))).toBe(false);
  });

  it('is UNAVAILABLE (retry) on the wire when every retry was aborted, never INTERNAL', () => {
    const error = toEngineError(taskFailureAbort());
    expect(error.status).toBe('UNAVAILABLE');
    expect(error.message).toBe('Temporal could not apply the request at this moment; retry');
  });
});

describe('retryAbortedUpdate', () => {
  it('sends the Update again after an abort and answers what the workflow answered', async () => {
    let attempts = 0;
    const result = await retryAbortedUpdate(() => {
      attempts += 1;
      if (attempts < 3) throw taskFailureAbort();
      return Promise.resolve('applied');
    });
    expect(result).toBe('applied');
    expect(attempts).toBe(3);
  });

  it('passes any other error through at once', async () => {
    let attempts = 0;
    const refusal = new Error('refused');
    await expect(
      retryAbortedUpdate(() => {
        attempts += 1;
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(attempts).toBe(1);
  });

  it('gives up after a bounded number of attempts with the last abort', async () => {
    let attempts = 0;
    await expect(
      retryAbortedUpdate(() => {
        attempts += 1;
        throw taskFailureAbort();
      }),
    ).rejects.toBeInstanceOf(ServiceError);
    expect(attempts).toBe(12);
  });
});
