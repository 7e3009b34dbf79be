import type { ExecutionView } from '../contracts/execution-messages';
import type { Scenario } from './scenario';

/** Each unmet `expect` entry of a scenario, in words (`step human-review: expected breached, was waiting`). */
export const checkExpectations = (expected: Scenario['expect'], view: ExecutionView, events: ReadonlyArray<{ type: string }>): string[] => {
  if (!expected) return [];
  const failures: string[] = [];
  if (expected.status !== undefined && view.status !== expected.status) {
    failures.push(`execution: expected ${expected.status}, was ${view.status}`);
  }
  for (const [nodeId, status] of Object.entries(expected.steps ?? {})) {
    const latest = view.steps.filter((step) => step.nodeId === nodeId).at(-1);
    if (!latest) failures.push(`step ${nodeId}: expected ${status}, never started`);
    else if (latest.status !== status) failures.push(`step ${nodeId}: expected ${status}, was ${latest.status}`);
  }
  if (expected.events) {
    let from = 0;
    let previous: string | null = null;
    for (const type of expected.events) {
      const found = events.findIndex((event, index) => index >= from && event.type === type);
      if (found === -1) {
        failures.push(`events: expected ${type}${previous ? ` after ${previous}` : ''}, none came`);
        break;
      }
      from = found + 1;
      previous = type;
    }
  }
  return failures;
};
