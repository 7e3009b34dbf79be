import type { Command } from './commands';
import type { EventType } from './read/events';
import type { Plan } from './plan';
import type { ExecutionState, StepState } from './state';

/**
 * The working copy one `apply` mutates: a deep copy of the state, the commands and events it
 * produces, and the agenda of steps that reached a terminal status and still await routing.
 * Nothing outside `apply` ever sees it, so `apply` stays pure.
 */
export class Tx {
  readonly commands: Command[] = [];
  /** Steps that turned terminal and still need loop / group / fan-out handling, in order. */
  readonly agenda: string[] = [];
  private readonly index = new Map<string, StepState>();

  constructor(
    readonly plan: Plan,
    readonly state: ExecutionState,
    readonly now: number,
  ) {
    for (const step of state.steps) this.index.set(step.stepId, step);
  }

  emit(type: EventType, stepId: string | null, data: Record<string, unknown> | null): void {
    this.state.lastSeq += 1;
    this.state.events.push({ seq: this.state.lastSeq, type, stepId, at: this.now, data });
  }

  command(command: Command): void {
    this.commands.push(command);
  }

  find(stepId: string): StepState | undefined {
    return this.index.get(stepId);
  }

  step(stepId: string): StepState {
    const step = this.index.get(stepId);
    if (!step) throw new Error(`interpreter: unknown step ${stepId}`);
    return step;
  }

  addStep(step: StepState): void {
    this.state.steps.push(step);
    this.index.set(step.stepId, step);
  }

  get running(): boolean {
    return this.state.status === 'running';
  }

  /** Records the first unhandled failure; the roll-up reports it once every step is terminal. */
  fail(code: string, message: string): void {
    this.state.pendingFailure ??= { code, message };
  }
}

/**
 * The working copy for one `apply`. Steps, groups and loops are changed in place, so they are deep
 * copied (a JSON round trip: the state is plain JSON by contract, and this works in the workflow
 * sandbox). The event log only grows and an event is never changed once emitted, and the trigger
 * context is only read: those are shared, so a long run's history no longer makes every happening
 * copy all of it again (docs/bench.md, "Decisions on runs out of the cache"). Keys keep their order.
 */
export const cloneState = (state: ExecutionState): ExecutionState => {
  const copy = JSON.parse(JSON.stringify({ ...state, events: [], triggerContext: {} })) as ExecutionState;
  copy.events = state.events.slice();
  copy.triggerContext = state.triggerContext;
  return copy;
};
