import type { AgentSlot, LimiterSnapshot, WorkspaceLimits } from '../../contracts/workspace-limits';
import { EngineError } from '../errors';

/** From this share of the running limit on, the periodic check also looks at executions it saw running before. */
const NEAR_LIMIT = 0.9;

const sameSlot = (a: AgentSlot) => (b: AgentSlot) => a.workflowId === b.workflowId && a.stepId === b.stepId;

/**
 * The limiter's bookkeeping, without I/O: which executions of a workspace run, which agent runs
 * hold a slot and which wait for one (first come, first served). Every change returns the slots it
 * granted, for the workflow to tell their executions.
 */
export class LimiterBook {
  private limits: WorkspaceLimits;
  private readonly running: Map<string, number>;
  private granted: AgentSlot[];
  private waiting: AgentSlot[];
  private readonly verified: Set<string>;
  private checkedUpTo: number;

  constructor(snapshot: LimiterSnapshot) {
    this.limits = snapshot.limits;
    this.running = new Map(Object.entries(snapshot.running));
    this.granted = [...snapshot.granted];
    this.waiting = [...snapshot.waiting];
    this.verified = new Set(snapshot.verified ?? []);
    this.checkedUpTo = snapshot.checkedUpTo ?? 0;
  }

  static empty(limits: WorkspaceLimits): LimiterBook {
    return new LimiterBook({ limits, running: {}, granted: [], waiting: [] });
  }

  /** The refusal an admission would get, or null (an execution already admitted is admitted again). */
  admissionProblem(workflowId: string): EngineError | null {
    if (this.running.has(workflowId) || this.running.size < this.limits.maxRunningExecutions) return null;
    return new EngineError(
      'RESOURCE_EXHAUSTED',
      `workspace limit reached: ${this.limits.maxRunningExecutions} running executions (maxRunningExecutions); ` +
        'retry once some of them have ended',
    );
  }

  /** Admits an execution under the admitting API's limits; returns newly grantable slots (the agent limit may have grown). */
  admit(workflowId: string, limits: WorkspaceLimits, at: number): AgentSlot[] {
    this.limits = limits;
    if (!this.running.has(workflowId)) this.running.set(workflowId, at);
    return this.grantWaiting();
  }

  /** The execution ended: its admission and every slot it held or waited for are released. */
  ended(workflowId: string): AgentSlot[] {
    this.running.delete(workflowId);
    this.verified.delete(workflowId);
    this.granted = this.granted.filter((slot) => slot.workflowId !== workflowId);
    this.waiting = this.waiting.filter((slot) => slot.workflowId !== workflowId);
    return this.grantWaiting();
  }

  /** An agent asks for a slot: granted now (returned) or queued; asking again for a held slot grants it again. */
  request(slot: AgentSlot): AgentSlot[] {
    if (this.granted.some(sameSlot(slot))) return [slot];
    if (!this.waiting.some(sameSlot(slot))) this.waiting.push(slot);
    return this.grantWaiting();
  }

  release(slot: AgentSlot): AgentSlot[] {
    this.granted = this.granted.filter((held) => !sameSlot(slot)(held));
    this.waiting = this.waiting.filter((queued) => !sameSlot(slot)(queued));
    return this.grantWaiting();
  }

  /** Executions admitted before `admittedBefore` (candidates to check against Temporal). */
  admittedBefore(admittedBefore: number): string[] {
    const holders = new Set([...this.granted, ...this.waiting].map((slot) => slot.workflowId));
    for (const [workflowId, at] of this.running) if (at < admittedBefore) holders.add(workflowId);
    return [...holders];
  }

  /**
   * What the next periodic check asks Temporal about, at most `max` executions: every slot holder,
   * every admission older than `admittedBefore` no check has yet seen running, and, only while the
   * workspace is at 90% of its running limit or more, the seen ones too, oldest first, taking up
   * where the last such check stopped. A workspace of 10,000 parked runs then costs no describe
   * calls at all once each run was seen started (docs/behaviour.md, "Workspace limits").
   */
  toCheck(admittedBefore: number, max: number): string[] {
    const picked = new Set([...this.granted, ...this.waiting].map((slot) => slot.workflowId));
    const add = (workflowId: string): boolean => {
      if (picked.size >= max) return false;
      picked.add(workflowId);
      return true;
    };
    for (const [workflowId, at] of this.running) {
      if (at < admittedBefore && !this.verified.has(workflowId) && !add(workflowId)) return [...picked];
    }
    if (this.running.size < NEAR_LIMIT * this.limits.maxRunningExecutions) return [...picked];
    const seen = [...this.running]
      .filter(([workflowId, at]) => this.verified.has(workflowId) && at < admittedBefore)
      .sort(([, a], [, b]) => a - b);
    const next = seen.findIndex(([, at]) => at > this.checkedUpTo);
    const rotated = next < 0 ? seen : [...seen.slice(next), ...seen.slice(0, next)];
    for (const [workflowId, at] of rotated) {
      if (!add(workflowId)) break;
      this.checkedUpTo = at;
    }
    return [...picked];
  }

  /** A check saw these executions running: their admission is real. */
  seenRunning(workflowIds: Iterable<string>): void {
    for (const workflowId of workflowIds) if (this.running.has(workflowId)) this.verified.add(workflowId);
  }

  get runningCount(): number {
    return this.running.size;
  }

  get idle(): boolean {
    return this.running.size === 0 && this.granted.length === 0 && this.waiting.length === 0;
  }

  snapshot(): LimiterSnapshot {
    return {
      limits: this.limits,
      running: Object.fromEntries(this.running),
      granted: [...this.granted],
      waiting: [...this.waiting],
      verified: [...this.verified],
      checkedUpTo: this.checkedUpTo,
    };
  }

  private grantWaiting(): AgentSlot[] {
    const grants: AgentSlot[] = [];
    while (this.granted.length < this.limits.maxRunningAgents && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.granted.push(next);
      grants.push(next);
    }
    return grants;
  }
}
