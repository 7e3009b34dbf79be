import { recordResolution, refreshAgentOutput, resumeAgentOutput } from '../steps/blocking-agent';
import { completedEventData } from '../steps/event-data';
import { finishStep } from '../steps/finish';
import type { AgentResolutionRecorded, AggregatorReply } from '../happenings';
import { planNode } from '../plan';
import type { Tx } from '../transaction';
import { checkAgentResolution } from '../validators';

/** `/steps/recordAgentResolution` (docs/runtime.md, "Aggregators"), either body shape normalised by the caller. */
export const onAgentResolution = (tx: Tx, h: AgentResolutionRecorded): AggregatorReply => {
  const error = checkAgentResolution(tx.state, h);
  if (error) throw error;
  const step = tx.step(h.stepId);
  const agent = step.agent;
  const spec = planNode(tx.plan, step.nodeId).agent;
  if (!agent || !spec) throw new Error(`interpreter: agent step ${step.stepId} has no agent state`);
  const unchanged: AggregatorReply = { recorded: false, aggregatorStatus: agent.status ?? 'pending', resumeScheduled: false };
  if (step.status !== 'waiting') return unchanged;
  const { recorded, tipped } = recordResolution(agent, spec, {
    resolutionId: h.resolutionId,
    status: h.status,
    output: h.output ?? {},
    errorMessage: h.errorMessage ?? null,
    actorId: h.actorId ?? null,
    at: tx.now,
  });
  if (!recorded) return unchanged;
  tx.emit('step.response-recorded', step.stepId, { resolutionId: h.resolutionId, status: h.status });
  refreshAgentOutput(step, spec);
  if (tipped) {
    resumeAgentOutput(step, spec, tx.now);
    tx.emit('step.resumed', step.stepId, { aggregatorStatus: agent.status });
    finishStep(tx, step, { status: 'completed', data: completedEventData(tx, step, true, 'resolution') });
  }
  return { recorded: true, aggregatorStatus: agent.status ?? 'pending', resumeScheduled: tipped };
};
