import { describe, expect, it } from 'vitest';
import { retryingAbortedUpdates } from '../../../src/infra/temporal/aborted-update';

/** What the client throws when Temporal aborted an Update whose workflow task failed. */
const aborted = (): Error =>
  Object.assign(new Error('Workflow Update failed'), {
    cause: Object.assign(
      new Error('9 FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.'),
      {
        code: 9,
        details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
      },
    ),
  });

describe('Updates Temporal aborted before accepting them', () => {
  it('are sent again until they answer', async () => {
    let calls = 0;
    const answer = await retryingAbortedUpdates(() => {
      calls += 1;
      return calls < 3 ? Promise.reject(aborted()) : Promise.resolve('pinned');
    });
    expect({ answer, calls }).toEqual({ answer: 'pinned', calls: 3 });
  });

  it('give up after five attempts with the last error', async () => {
    let calls = 0;
    const error = aborted();
    await expect(
      retryingAbortedUpdates(() => {
        calls += 1;
        return Promise.reject(error);
      }),
    ).rejects.toBe(error);
    expect(calls).toBe(5);
  });

  it('leave every other error alone, refusals included', async () => {
    let calls = 0;
    const refusal = Object.assign(new Error('9 FAILED_PRECONDITION: Version conflict'), { code: 9, details: 'Version conflict' });
    await expect(
      retryingAbortedUpdates(() => {
        calls += 1;
        return Promise.reject(refusal);
      }),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });
});
