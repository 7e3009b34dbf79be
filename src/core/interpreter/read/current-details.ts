import type { ExecutionState, StepState } from '../state';

/** Bounds on what one line can list: a run with hundreds of parallel steps still reads in the Web UI. */
const MAX_STEPS = 10;
const MAX_REVIEWERS = 5;
const MAX_NAME = 64;

const clip = (text: string): string => (text.length > MAX_NAME ? `${text.slice(0, MAX_NAME - 1)}…` : text);

const listed = (names: string[], max: number): string =>
  names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');

const iterationOf = (step: StepState): string => (step.iteration > 1 ? ` (iteration ${step.iteration})` : '');

const slaOf = (step: StepState): string => (step.slaDeadlineAt === null ? '' : `, SLA until ${new Date(step.slaDeadlineAt).toISOString()}`);

const waitingFor = (step: StepState): string => {
  if (step.human) {
    const answered = new Set(step.human.responses.map((response) => response.reviewerId));
    const open = step.human.reviewers
      .filter((reviewer) => !answered.has(reviewer.userId))
      .map((reviewer) => `${clip(reviewer.userId)}${reviewer.mandatory ? ' (mandatory)' : ''}`);
    return open.length > 0 ? `reviewers ${listed(open, MAX_REVIEWERS)}` : 'its reviewers';
  }
  if (step.agent?.blocking) {
    const recorded = step.agent.resolutions.length;
    return `agent resolutions (${recorded} of ${step.agent.responseIds.length} recorded)`;
  }
  return 'a resolution';
};

const lines = (steps: StepState[], line: (step: StepState) => string): string[] => {
  const shown = steps.slice(0, MAX_STEPS).map(line);
  if (steps.length > MAX_STEPS) shown.push(`- and ${steps.length - MAX_STEPS} more`);
  return shown;
};

/**
 * The run's "current details" in the Temporal Web UI (Temporal markdown): which steps wait and for
 * whom, which agents run, or how the run ended. See docs/operations.md, "Reading a run in the
 * Temporal Web UI". Pure and bounded, so the workflow can refresh it after every happening.
 */
export const currentDetails = (state: ExecutionState): string => {
  if (state.status !== 'running' && state.status !== 'pending') {
    const reason = state.failureReason ? `: ${state.failureReason.code}: ${clip(state.failureReason.message)}` : '';
    return `**${state.status}**${reason}`;
  }
  const waiting = state.steps.filter((step) => step.status === 'waiting');
  const running = state.steps.filter((step) => step.status === 'running');
  const parts: string[] = [];
  if (waiting.length > 0) {
    parts.push(`**Waiting** (${waiting.length})`);
    parts.push(...lines(waiting, (step) => `- \`${step.nodeId}\`${iterationOf(step)} waits for ${waitingFor(step)}${slaOf(step)}`));
  }
  if (running.length > 0) {
    parts.push(`**Running** (${running.length})`);
    parts.push(
      ...lines(
        running,
        (step) => `- \`${step.nodeId}\`${iterationOf(step)}${step.agent ? `: agent ${clip(step.agent.agentId)}` : ''}${slaOf(step)}`,
      ),
    );
  }
  return parts.length > 0 ? parts.join('\n') : '**running**';
};
