import type { Command } from './commands';
import { onAgentResolution } from './handlers/agent-resolution';
import { onAgentFailed, onAgentRetried, onAgentSucceeded } from './handlers/agent-results';
import { onExecutionCancelled, onStepCancelled } from './handlers/cancelled';
import { onDispatched } from './handlers/dispatched';
import { onReviewerDecision } from './handlers/reviewer-decision';
import { onSlaExpired } from './handlers/sla-expired';
import { onStepResolved } from './handlers/step-resolved';
import { onWebhookCallback, onWebhookCallFailed, onWebhookCallSucceeded } from './handlers/webhook-results';
import type { Happening, ReplyOf } from './happenings';
import type { Plan } from './plan';
import { externalEventsSince, type ApprovalEventView } from './read/events';
import { rollUp } from './routing/rollup';
import { drainAgenda } from './routing/settle';
import type { ExecutionState } from './state';
import { cloneState, Tx } from './transaction';

/** Time and randomness come from the workflow (deterministic on replay). */
export interface ApplyContext {
  now: number;
  /** A [0, 1) source; only `dispatched` draws from it (root step ids). */
  random: () => number;
}

export interface ApplyResult<R> {
  state: ExecutionState;
  commands: Command[];
  /** The external events this happening produced, ready for webhook delivery. */
  events: ApprovalEventView[];
  /** What the endpoint behind the happening answers (null for workflow-internal happenings). */
  reply: R;
}

const handle = (tx: Tx, h: Exclude<Happening, { kind: 'dispatched' }>): unknown => {
  switch (h.kind) {
    case 'idempotencySuppressed':
      tx.emit('idempotency.suppressed', null, {});
      return null;
    case 'agentSucceeded':
      onAgentSucceeded(tx, h);
      return null;
    case 'agentFailed':
      onAgentFailed(tx, h);
      return null;
    case 'agentRetried':
      onAgentRetried(tx, h);
      return null;
    case 'webhookCallSucceeded':
      onWebhookCallSucceeded(tx, h);
      return null;
    case 'webhookCallFailed':
      onWebhookCallFailed(tx, h);
      return null;
    case 'webhookCallbackReceived':
      return onWebhookCallback(tx, h);
    case 'reviewerDecisionRecorded':
      return onReviewerDecision(tx, h);
    case 'agentResolutionRecorded':
      return onAgentResolution(tx, h);
    case 'slaExpired':
      onSlaExpired(tx, h);
      return null;
    case 'stepCancelled':
      return onStepCancelled(tx, h);
    case 'stepResolved':
      return onStepResolved(tx, h);
    case 'executionCancelled':
      return onExecutionCancelled(tx, h);
    default: {
      const never: never = h;
      throw new Error(`interpreter: unknown happening ${JSON.stringify(never)}`);
    }
  }
};

const finish = <R>(tx: Tx, sinceSeq: number, reply: unknown): ApplyResult<R> => {
  drainAgenda(tx);
  rollUp(tx);
  return { state: tx.state, commands: tx.commands, events: externalEventsSince(tx.state, sinceSeq), reply: reply as R };
};

/**
 * The whole interpreter: one happening against the current state gives the next state, the
 * commands to carry out and the endpoint's answer. Pure and deterministic: the input state is
 * never mutated. A request the validators refuse throws that `EngineError` (state unchanged).
 * `dispatched` starts from `state = null`; on an existing state it changes nothing.
 */
export const apply = <H extends Happening>(
  plan: Plan,
  state: ExecutionState | null,
  happening: H,
  ctx: ApplyContext,
): ApplyResult<ReplyOf<H>> => {
  const h: Happening = happening;
  if (h.kind === 'dispatched') {
    if (state !== null) return { state, commands: [], events: [], reply: null as ReplyOf<H> };
    return finish(onDispatched(plan, h, ctx.now, ctx.random), 0, null);
  }
  if (state === null) throw new Error(`interpreter: ${h.kind} before dispatched`);
  const tx = new Tx(plan, cloneState(state), ctx.now);
  const reply = handle(tx, h);
  return finish(tx, state.lastSeq, reply);
};
