import { startChild } from '@temporalio/workflow';
import type { DispatchClaimInput, DispatchClaimResult } from '../src/contracts/dispatch-claim';
import type { SearchAttributePair } from '@temporalio/common';

export interface ClaimStart<ExecutionInput> extends DispatchClaimInput<ExecutionInput> {
  searchAttributes: SearchAttributePair[];
  /** The execution's summary and details for the Web UI; absent in claims started before they existed. */
  userMetadata?: { staticSummary: string; staticDetails: string };
}

/**
 * Owns one idempotency key. It starts the execution as an abandoned child, so the execution
 * outlives the claim and exists exactly once however many dispatches raced for the key.
 */
export async function dispatchClaimWorkflow<ExecutionInput>(input: ClaimStart<ExecutionInput>): Promise<DispatchClaimResult> {
  await startChild('executionWorkflow', {
    workflowId: input.executionWorkflowId,
    args: [input.executionInput],
    parentClosePolicy: 'ABANDON',
    typedSearchAttributes: input.searchAttributes,
    ...input.userMetadata,
  });
  return { executionId: input.executionId };
}
