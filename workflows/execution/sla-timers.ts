import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { SlaExpired } from '../../src/core/interpreter';

/**
 * One durable timer per step with an SLA, in its own cancellation scope; a timer that fires
 * reports `slaExpired`, a cancelled one nothing. Same shape as the agent runs and the webhook
 * deliveries.
 */
export class SlaTimers {
  private readonly scopes = new Map<string, CancellationScope>();

  constructor(private readonly report: (expired: SlaExpired) => void) {}

  start(stepId: string, ms: number): void {
    const scope = new CancellationScope();
    this.scopes.set(stepId, scope);
    scope
      .run(() => sleep(ms))
      .then(
        () => {
          this.scopes.delete(stepId);
          this.report({ kind: 'slaExpired', stepId });
        },
        (error: unknown) => {
          if (this.scopes.get(stepId) === scope) this.scopes.delete(stepId);
          if (!isCancellation(error)) throw error;
        },
      );
  }

  cancel(stepId: string): void {
    this.scopes.get(stepId)?.cancel();
  }
}
