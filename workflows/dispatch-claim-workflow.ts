import { patched, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributePair } from '@temporalio/common';
import type { DispatchClaimInput, DispatchClaimResult } from '../src/contracts/dispatch-claim';

export interface ClaimStart<ExecutionInput> extends DispatchClaimInput<ExecutionInput> {
  searchAttributes: SearchAttributePair[];
  /** The execution's summary and details for the Web UI; absent in claims started before they existed. */
  userMetadata?: { staticSummary: string; staticDetails: string };
}

// Claims recorded before this start the execution without a reuse policy.
const REVOCABLE_START_PATCH = 'claim-revocable-start';

/**
 * Owns one idempotency key. It starts the execution as an abandoned child, so the execution
 * outlives the claim and exists exactly once however many dispatches raced for the key. An
 * execution id revoked by a delete before the claim reached it stays unused: the claim answers
 * `revoked` instead (docs/behaviour.md, "Definitions").
 */
export async function dispatchClaimWorkflow<ExecutionInput>(input: ClaimStart<ExecutionInput>): Promise<DispatchClaimResult> {
  const options = {
    workflowId: input.executionWorkflowId,
    args: [input.executionInput],
    parentClosePolicy: 'ABANDON',
    typedSearchAttributes: input.searchAttributes,
    ...input.userMetadata,
  } as const;
  if (!patched(REVOCABLE_START_PATCH)) {
    await startChild('executionWorkflow', options);
    return { executionId: input.executionId };
  }
  try {
    await startChild('executionWorkflow', { ...options, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { executionId: input.executionId, revoked: true };
    throw error;
  }
  return { executionId: input.executionId };
}
