import { agentUrl, runAgentCommand } from './agent-run';
import { awaitingAgentData, failedEventData } from './event-data';
import { cancelData, finishStep, SYSTEM_ACTORS } from './finish';
import { registerMember } from '../routing/group-instances';
import { mandatoryCount, openAggregate, openHumanOutput } from './human-aggregator';
import { humanResumeKey } from '../ids';
import { registerLoopStep } from '../routing/loop-state';
import type { AgentSpec } from '../plan';
import { planNode } from '../plan';
import type { StepInputRef, StepState } from '../state';
import { isTerminalStep } from '../state';
import type { Tx } from '../transaction';
import { startWebhookStep } from './webhook-call';

export interface SpawnSpec {
  nodeId: string;
  stepId: string;
  parentStepId: string | null;
  iteration: number;
  input: StepInputRef | null;
}

/**
 * A `g3` agent whose `urlPath` gives no URL (and that has no static `url`) fails before any agent
 * is called, with an empty output (docs/behaviour.md, "G3 runtime").
 */
const failUnresolvedUrl = (tx: Tx, step: StepState, spec: AgentSpec, urlPath: string): void => {
  step.slaDeadlineAt = null;
  const error = {
    code: 'agent-url-unresolved',
    message: `agent ${spec.agentId}: urlPath "${urlPath}" gives no URL in the trigger context and the node sets no url`,
  };
  const data = failedEventData(tx, step, error, 'engine', 'agent-url-unresolved');
  finishStep(tx, step, { status: 'failed', error, data, agentDone: true });
};

/**
 * Creates a step and starts it at once (`pending` → `running` in the same instant, so `pending`
 * is never observed): an agent gets a runAgent command (a `g3` agent step waits while it runs), a
 * human step opens and waits, a webhook node gets a callWebhook command (an async one waits), or
 * fails at once when its stored config cannot run. Returns null
 * when a step with that id already exists.
 */
export const spawnStep = (tx: Tx, spec: SpawnSpec): StepState | null => {
  if (tx.find(spec.stepId)) return null;
  const node = planNode(tx.plan, spec.nodeId);
  const step: StepState = {
    stepId: spec.stepId,
    nodeId: node.nodeId,
    nodeType: node.type,
    status: 'pending',
    groupId: node.groupId,
    iteration: spec.iteration,
    parentStepId: spec.parentStepId,
    createdAt: tx.now,
    startedAt: null,
    completedAt: null,
    retryCount: 0,
    // The SLA clock starts when the step is created (docs/runtime.md, "Step lifecycle").
    // A webhook node that cannot run fails at once and needs no timer.
    slaDeadlineAt: node.slaMs === null || (node.type === 'webhook' && node.webhook?.ok !== true) ? null : tx.now + node.slaMs,
    input: spec.input,
    output: {},
    error: null,
    routed: false,
    human: null,
    agent: null,
  };
  tx.addStep(step);
  // Internal and redundant with the step record (node, parent, iteration), so it carries no data.
  tx.emit('step.scheduled', step.stepId, null);
  registerLoopStep(tx, step);
  const instance = registerMember(tx, step);

  step.status = 'running';
  step.startedAt = tx.now;
  tx.emit('step.started', step.stepId, null);
  switch (node.type) {
    case 'agent': {
      const agent = node.agent;
      if (!agent) throw new Error(`interpreter: agent node ${node.nodeId} has no agent spec`);
      step.agent = { agentId: agent.agentId, blocking: agent.blocking, responseIds: [], resolutions: [], status: null };
      const url = agentUrl(agent, tx.state.triggerContext, tx.plan.generation);
      if (url.kind === 'unresolved') {
        failUnresolvedUrl(tx, step, agent, url.urlPath);
        break;
      }
      tx.command(runAgentCommand(tx.state, step, agent, tx.plan.generation));
      if (tx.plan.generation === 'g3') {
        step.status = 'waiting';
        tx.emit('step.awaiting-approval', step.stepId, awaitingAgentData(step, agent));
      }
      break;
    }
    case 'human': {
      const human = node.human;
      if (!human) throw new Error(`interpreter: human node ${node.nodeId} has no human spec`);
      step.human = openAggregate(human);
      step.output = openHumanOutput(human, step.human, step.stepId);
      step.status = 'waiting';
      tx.emit('step.awaiting-approval', step.stepId, {
        waitingForReviewers: step.human.reviewers.length,
        mandatoryCount: mandatoryCount(step.human),
        resumeKey: humanResumeKey(step.stepId),
      });
      break;
    }
    case 'webhook': {
      const webhook = node.webhook;
      if (webhook?.ok === true) {
        startWebhookStep(tx, step, webhook.spec);
        break;
      }
      const error = webhook
        ? { code: webhook.code, message: webhook.message }
        : { code: 'webhook-node-invalid-config', message: 'no config' };
      finishStep(tx, step, { status: 'failed', error, data: { error } });
      break;
    }
  }
  if (step.slaDeadlineAt !== null && node.slaMs !== null && !isTerminalStep(step.status)) {
    tx.command({ kind: 'startSlaTimer', stepId: step.stepId, ms: node.slaMs, deadlineAt: step.slaDeadlineAt });
  }
  // A member that appears after its group's quorum side effects ran is cancelled like its siblings.
  const policy = node.groupId === null ? null : (tx.plan.groups.get(node.groupId)?.policy ?? null);
  if (instance?.quorumMet === true && policy !== null && policy !== 'waitAll') {
    finishStep(tx, step, { status: 'cancelled', data: cancelData(SYSTEM_ACTORS.groupQuorum, 'group-quorum-met') });
  }
  return step;
};
