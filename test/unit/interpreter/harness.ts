import { expect } from 'vitest';
import type { AgentConfig, CanonicalAgentNode, CanonicalDefinition, CanonicalEdge, CanonicalHumanNode } from '../../../src/core/definition';
import {
  apply,
  buildPlan,
  type AgentRunOutcome,
  type Command,
  type ExecutionState,
  type Happening,
  type Plan,
  type PlanOptions,
  type ReplyOf,
  type StepState,
  isExternalEvent,
} from '../../../src/core/interpreter';

export const T0 = 1_777_374_504_255;

export const approveGate = JSON.stringify({ op: 'eq', args: [{ var: 'output.decision' }, 'approve'] });
export const rejectGate = JSON.stringify({ op: 'eq', args: [{ var: 'output.decision' }, 'reject'] });
export const breachedGate = JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'breached'] });
export const statusGate = (status: string): string => JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, status] });

/** A seeded [0, 1) source (mulberry32), standing in for the workflow's deterministic Math.random. */
export const seeded = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type NodeExtra = { slaMs?: number };

export const agent = (nodeId: string, config: Partial<AgentConfig> = {}, extra: NodeExtra = {}): CanonicalAgentNode => ({
  nodeId,
  type: 'agent',
  config: { agentId: '__mock__', blocking: false, ...config },
  ...extra,
});

export const human = (nodeId: string, reviewers: Array<[string, boolean]> | string[], extra: NodeExtra = {}): CanonicalHumanNode => ({
  nodeId,
  type: 'human',
  config:
    typeof reviewers[0] === 'string'
      ? { reviewerIds: reviewers as string[] }
      : { reviewers: (reviewers as Array<[string, boolean]>).map(([userId, mandatory]) => ({ userId, mandatory })) },
  ...extra,
});

export const edge = (from: string, to: string, when: string | null = null): CanonicalEdge => ({ from, to, when });

/** A canonical definition as the write pipeline stores it; only the graph parts vary between tests. */
export const def = (
  parts: Partial<Pick<CanonicalDefinition, 'definitionId' | 'edges' | 'groups' | 'loops'>> & Pick<CanonicalDefinition, 'nodes'>,
): CanonicalDefinition => ({
  definitionId: 'test-definition',
  name: 'Test definition',
  description: null,
  scope: { level: 'apiKey', organizationId: null, documentId: null },
  edges: [],
  groups: null,
  loops: null,
  authoredOnReject: [],
  triggers: null,
  tags: null,
  custom: null,
  ...parts,
});

export const passed = (output: Record<string, unknown> = {}, extra: Partial<AgentRunOutcome> = {}): AgentRunOutcome => ({
  status: 'passed',
  summary: { summary: 'ok' },
  output: { synthetic: true, ...output },
  responseIds: [],
  ...extra,
});

/** Drives the interpreter like the workflow would, with a fake clock; keeps every command and reply. */
export class Run {
  readonly plan: Plan;
  state!: ExecutionState;
  now = T0;
  readonly random: () => number;
  commands: Command[] = [];
  lastCommands: Command[] = [];
  /** Agent runs started and not yet finished or cancelled, by step id. */
  readonly agentsInFlight = new Set<string>();
  readonly timers = new Map<string, number>();

  constructor(definition: CanonicalDefinition, seed = 42, options: PlanOptions = {}) {
    this.plan = buildPlan(definition, options);
    this.random = seeded(seed);
  }

  static start(definition: CanonicalDefinition, triggerContext: Record<string, unknown> = {}): Run {
    const run = new Run(definition);
    run.dispatch(triggerContext);
    return run;
  }

  dispatch(triggerContext: Record<string, unknown> = {}): this {
    const result = apply(
      this.plan,
      null,
      {
        kind: 'dispatched',
        executionId: 'exec_1777374504255_xzy43k9q',
        definitionVersion: 3,
        triggerContext,
        correlationId: 'corr_campaign_42',
        idempotencyKey: 'campaign-42-dispatch',
      },
      { now: this.now, random: this.random },
    );
    this.take(result.state, result.commands);
    return this;
  }

  private take(state: ExecutionState, commands: Command[]): void {
    this.state = state;
    this.lastCommands = commands;
    this.commands.push(...commands);
    for (const c of commands) {
      switch (c.kind) {
        case 'runAgent':
          this.agentsInFlight.add(c.stepId);
          break;
        case 'cancelAgent':
          this.agentsInFlight.delete(c.stepId);
          break;
        case 'startSlaTimer':
          this.timers.set(c.stepId, c.deadlineAt);
          break;
        case 'cancelSlaTimer':
          this.timers.delete(c.stepId);
          break;
      }
    }
  }

  apply<H extends Happening>(happening: H): ReplyOf<H> {
    const result = apply(this.plan, this.state, happening, { now: this.now, random: this.random });
    this.take(result.state, result.commands);
    return result.reply;
  }

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Fires every SLA timer due by now (in deadline order), like durable timers would. */
  fireDueTimers(): this {
    const due = [...this.timers.entries()].filter(([, at]) => at <= this.now).sort((a, b) => a[1] - b[1]);
    for (const [stepId] of due) {
      this.timers.delete(stepId);
      this.apply({ kind: 'slaExpired', stepId });
    }
    return this;
  }

  steps(nodeId?: string): StepState[] {
    return nodeId === undefined ? this.state.steps : this.state.steps.filter((s) => s.nodeId === nodeId);
  }

  /** The newest step of a node. */
  step(nodeId: string): StepState {
    const steps = this.steps(nodeId);
    const step = steps[steps.length - 1];
    if (!step) throw new Error(`no step for node ${nodeId}`);
    return step;
  }

  id(nodeId: string): string {
    return this.step(nodeId).stepId;
  }

  decide(nodeId: string, reviewerId: string, decision: 'approve' | 'reject', reason?: string) {
    return this.apply({ kind: 'reviewerDecisionRecorded', stepId: this.id(nodeId), reviewerId, decision, reason });
  }

  agentDone(nodeId: string, result: AgentRunOutcome = passed()): this {
    const stepId = this.id(nodeId);
    this.agentsInFlight.delete(stepId);
    this.apply({ kind: 'agentSucceeded', stepId, result });
    return this;
  }

  agentFail(nodeId: string, code: 'agent-failed' | 'agent-timeout' | 'agent-empty-output' | 'agent-not-registered' = 'agent-failed'): this {
    const stepId = this.id(nodeId);
    this.agentsInFlight.delete(stepId);
    this.apply({ kind: 'agentFailed', stepId, code, message: `${code} happened` });
    return this;
  }

  /** Finishes every agent run in flight with a pass, repeatedly, until none is left. */
  runAgents(result: AgentRunOutcome = passed()): this {
    for (let guard = 0; this.agentsInFlight.size > 0 && guard < 1000; guard += 1) {
      const [stepId] = this.agentsInFlight;
      if (stepId === undefined) break;
      this.agentsInFlight.delete(stepId);
      this.apply({ kind: 'agentSucceeded', stepId, result });
    }
    return this;
  }

  /** External events as `type` or `type:nodeId`. */
  external(): string[] {
    return this.state.events
      .filter((e) => isExternalEvent(e))
      .map((e) => {
        const nodeId = e.stepId === null ? null : this.state.steps.find((s) => s.stepId === e.stepId)?.nodeId;
        return e.type.startsWith('step.') && nodeId ? `${e.type}:${nodeId}` : e.type;
      });
  }

  types(): string[] {
    return this.state.events.map((e) => e.type);
  }

  eventsOf(type: string): ExecutionState['events'] {
    return this.state.events.filter((e) => e.type === type);
  }
}

export const expectEngineError = (fn: () => unknown, status: string, message?: RegExp): void => {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an EngineError').toBeDefined();
  expect((caught as { status?: string }).status).toBe(status);
  if (message) expect((caught as Error).message).toMatch(message);
};
