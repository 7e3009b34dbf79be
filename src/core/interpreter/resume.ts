import { runAgentCommand } from './steps/agent-run';
import type { Command } from './commands';
import type { Plan } from './plan';
import type { ExecutionState } from './state';
import { agentRunInFlight, isTerminalStep } from './state';

/**
 * Commands to re-establish after continue-as-new (or any restart of the driving workflow): the
 * SLA timers of live steps, with the time left, and the agent runs still in flight.
 */
export const resumeCommands = (plan: Plan, state: ExecutionState, now: number): Command[] => {
  if (state.status !== 'running') return [];
  const commands: Command[] = [];
  for (const step of state.steps) {
    if (isTerminalStep(step.status)) continue;
    if (step.slaDeadlineAt !== null) {
      commands.push({
        kind: 'startSlaTimer',
        stepId: step.stepId,
        ms: Math.max(0, step.slaDeadlineAt - now),
        deadlineAt: step.slaDeadlineAt,
      });
    }
    const spec = plan.nodes.get(step.nodeId)?.agent;
    if (agentRunInFlight(step) && spec) commands.push(runAgentCommand(state, step, spec, plan.generation));
  }
  return commands;
};
