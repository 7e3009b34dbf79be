import { CancellationScope, isCancellation } from '@temporalio/workflow';

/** How a step's work reports its end. */
export interface StepOutcome<T> {
  succeeded: (value: T) => void;
  /** Not called for a cancelled step (it ended first): a cancelled step reports nothing. */
  failed: (error: unknown) => void;
  /** Runs after the report, while the step still counts as in flight. */
  afterReport?: () => Promise<void>;
}

/**
 * The work of each step (an agent run, a webhook call, a notification send) in its own
 * cancellation scope, so that a step that ends first cancels only its own work; counts what is
 * still in flight so the run knows when it may continue as new.
 */
export class StepScopes {
  private readonly scopes = new Map<string, CancellationScope>();
  private inFlight = 0;

  /** No step's work is in flight. */
  get settled(): boolean {
    return this.inFlight === 0;
  }

  run<T>(stepId: string, work: () => Promise<T>, outcome: StepOutcome<T>): void {
    const scope = new CancellationScope();
    this.scopes.set(stepId, scope);
    this.inFlight += 1;
    // One promise chain, step for step as each kind of step had it: the order of the commands
    // that reports and releases cause must stay what the recorded histories hold.
    const reported = scope.run(work).then(outcome.succeeded, (error: unknown) => {
      if (!isCancellation(error)) outcome.failed(error);
    });
    const { afterReport } = outcome;
    void (afterReport ? reported.then(afterReport) : reported).finally(() => {
      this.inFlight -= 1;
      if (this.scopes.get(stepId) === scope) this.scopes.delete(stepId);
    });
  }

  cancel(stepId: string): void {
    this.scopes.get(stepId)?.cancel();
  }
}
