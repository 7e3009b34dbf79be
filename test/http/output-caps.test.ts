import { describe, expect, it } from 'vitest';
import { MAX_EXECUTION_OUTPUT_BYTES, MAX_RESOLUTION_OUTPUT_BYTES } from '../../src/core/limits/output-size';
import { blockingAgentDefinition } from '../fixtures/execution-definitions';
import { useEngine } from '../support/engine';
import { allEvents, createAndDispatch, expectError, freshId, getExecution, ok, stepOf, waitForStep } from '../support/rest-api';

/*
 * Output caps (docs/behaviour.md, "Output caps"): one resolution's `output` is at most 64 KiB, and a
 * run's outputs together at most 1 MiB; a client that writes more gets INVALID_ARGUMENT naming
 * `data.output`, and nothing of it is recorded.
 */

const { admin } = useEngine();

/** An output of `values` values of 15,000 characters each (each under the 16k per-value rule). */
const outputOf = (values: number, tag: string): Record<string, string> =>
  Object.fromEntries(Array.from({ length: values }, (_, i) => [`${tag}-${i}`, 'x'.repeat(15_000)]));

const RESPONSES = Array.from({ length: 40 }, (_, i) => `r${i}`);

const parked = async () => {
  const executionId = await createAndDispatch(
    admin,
    blockingAgentDefinition(freshId('caps'), { kind: 'allResolved' }, { responseIds: RESPONSES }),
  );
  const { step } = await waitForStep(admin, executionId, 'agent-check', 'waiting');
  return { executionId, stepId: step.stepId };
};

describe('output caps', () => {
  it('refuses one resolution output over 64 KiB, on recordAgentResolution and on steps/resolve', async () => {
    const { executionId, stepId } = await parked();
    const tooBig = outputOf(5, 'big'); // 75,000+ bytes: every value under 16k, the whole over the cap
    const refused = expectError(
      await admin.post('steps/recordAgentResolution', { executionId, stepId, resolutionId: 'r0', status: 'success', output: tooBig }),
      'INVALID_ARGUMENT',
      400,
    );
    expect(refused.message).toContain('data.output');
    expect(refused.message).toContain(MAX_RESOLUTION_OUTPUT_BYTES.toLocaleString('en-US'));
    const resolve = expectError(
      await admin.post('steps/resolve', { executionId, stepId, action: 'force-complete', actorId: 'u_ops', output: tooBig }),
      'INVALID_ARGUMENT',
      400,
    );
    expect(resolve.message).toContain('data.output');
    // Under the cap it is recorded.
    const fits = outputOf(4, 'fits');
    expect(
      ok(await admin.post('steps/recordAgentResolution', { executionId, stepId, resolutionId: 'r0', status: 'success', output: fits })),
    ).toMatchObject({ recorded: true });
    ok(await admin.post('executions/cancel', { executionId }));
  });

  it("refuses the resolution that would take the run's outputs over 1 MiB, and records nothing of it", { timeout: 120_000 }, async () => {
    const { executionId, stepId } = await parked();
    // About 60 KB a resolution: the 18th crosses 1 MiB.
    let refusedAt = -1;
    for (let i = 0; i < RESPONSES.length; i += 1) {
      const response = await admin.post('steps/recordAgentResolution', {
        executionId,
        stepId,
        resolutionId: RESPONSES[i],
        status: 'success',
        output: outputOf(4, `r${i}`),
      });
      if (response.status === 200) continue;
      const error = expectError(response, 'INVALID_ARGUMENT', 400);
      expect(error.message).toContain('data.output');
      expect(error.message).toContain('maxExecutionOutputBytes');
      expect(error.message).toContain(MAX_EXECUTION_OUTPUT_BYTES.toLocaleString('en-US'));
      refusedAt = i;
      break;
    }
    expect(refusedAt).toBeGreaterThan(10);
    const before = await allEvents(admin, executionId);
    // Another output as large is refused again, and the refusals wrote nothing.
    expectError(
      await admin.post('steps/recordAgentResolution', {
        executionId,
        stepId,
        resolutionId: 'late',
        status: 'success',
        output: outputOf(4, 'late'),
      }),
      'INVALID_ARGUMENT',
      400,
    );
    expect(await allEvents(admin, executionId)).toEqual(before);
    expect(stepOf(await getExecution(admin, executionId), 'agent-check').status).toBe('waiting');
    ok(await admin.post('executions/cancel', { executionId }));
  });
});
