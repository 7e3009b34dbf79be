/**
 * Idempotent dispatch: a key is claimed by starting a tiny workflow whose id is the key. Temporal
 * admits one workflow per id, so concurrent dispatches with one key produce exactly one claim, and
 * the claim (not the API) starts the execution, so a crash between the two cannot lose it.
 */
export const dispatchClaimWorkflowId = (workspaceId: string, idempotencyKey: string): string =>
  `approval-idem/${workspaceId}/${idempotencyKey}`;

export interface DispatchClaimInput<ExecutionInput> {
  executionId: string;
  executionWorkflowId: string;
  executionInput: ExecutionInput;
}

export interface DispatchClaimResult {
  executionId: string;
  /** The execution's id was revoked before the claim could start it (docs/behaviour.md, "Definitions"). */
  revoked?: true;
}
