import { startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ExecutionEvidence, InFlightExecutions as InFlightView } from '../../src/contracts/definition-messages';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { EngineError } from '../../src/core/errors';

/** Executions one definition may have in flight (docs/behaviour.md, "Limits"); it bounds the carried state. */
export const MAX_IN_FLIGHT_EXECUTIONS = 10_000;

/**
 * The executions a definition has pinned and not yet heard the end of. A delete is refused while
 * any remain; each execution reports its end, and the delete settles the ones whose report never
 * came with what the API found on their own workflows (docs/behaviour.md, "Definitions").
 */
export class InFlightExecutions {
  private readonly ids: Set<string>;

  constructor(
    private readonly workspaceId: string,
    carried: readonly string[],
  ) {
    this.ids = new Set(carried);
  }

  get size(): number {
    return this.ids.size;
  }

  checkRoom(definitionId: string): void {
    if (this.ids.size >= MAX_IN_FLIGHT_EXECUTIONS) {
      throw new EngineError(
        'RESOURCE_EXHAUSTED',
        `definition ${definitionId} has ${MAX_IN_FLIGHT_EXECUTIONS} executions in flight, the limit per definition; dispatch again when some have ended`,
      );
    }
  }

  pin(executionId: string): void {
    this.ids.add(executionId);
  }

  ended(executionId: string): void {
    this.ids.delete(executionId);
  }

  view(limit: number): InFlightView {
    return { count: this.ids.size, executionIds: [...this.ids].slice(0, Math.max(0, limit)) };
  }

  /** Oldest first, so that what continues as new keeps the order. */
  carried(): string[] {
    return [...this.ids];
  }

  /**
   * An ended execution is let go. An absent one is let go only once its workflow id is revoked:
   * then no start can ever take the id, whoever was about to send it. If a run took the id first,
   * it stays in flight.
   */
  async settle(evidence: readonly ExecutionEvidence[]): Promise<void> {
    const absent: string[] = [];
    for (const { executionId, seen } of evidence) {
      if (!this.ids.has(executionId)) continue;
      if (seen === 'ended') this.ids.delete(executionId);
      else absent.push(executionId);
    }
    const revoked = await Promise.all(absent.map((executionId) => this.revoke(executionId)));
    absent.forEach((executionId, index) => {
      if (revoked[index]) this.ids.delete(executionId);
    });
  }

  /** Takes the execution's workflow id with a workflow that ends at once; false if a run holds it. */
  private async revoke(executionId: string): Promise<boolean> {
    try {
      await startChild('revokedExecutionWorkflow', {
        workflowId: executionWorkflowId(this.workspaceId, executionId),
        args: [{ executionId }],
        parentClosePolicy: 'ABANDON',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw error;
    }
  }
}
