import type { SimulationResult } from './simulator';

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** Virtual time since dispatch: `+0s`, `+47h59m`, `+2d 01h00m05s`. */
export const formatVirtualTime = (ms: number): string => {
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (totalSeconds < 60) return `+${seconds}s`;
  const clock = `${pad(hours)}h${pad(minutes)}m${seconds ? `${pad(seconds)}s` : ''}`;
  return days > 0 ? `+${days}d ${clock}` : `+${clock}`;
};

/** The event stream, the scripted actions with the engine's answers, and the final view, as `npm run simulate` prints them. */
export const formatSimulation = (result: SimulationResult): string => {
  const lines: string[] = [];
  const title = result.name ? `"${result.name}" on ` : '';
  lines.push(
    `Simulation ${title}${result.definitionId} (execution ${result.executionId}), ${formatVirtualTime(result.virtualMs).slice(1)} of virtual time`,
  );
  lines.push('');
  const timeline = [
    ...result.events.map((event) => ({
      atMs: event.atMs,
      order: 1,
      text: `${event.type.padEnd(24)} ${event.nodeId ?? ''}${event.type === 'step.completed' || event.type === 'step.failed' ? summaryOf(event.data) : ''}`,
    })),
    ...result.actions.map((action) => ({
      atMs: action.atMs,
      order: 0,
      text: `> ${action.description}: ${action.outcome.ok ? 'accepted' : `refused (${action.outcome.status}: ${action.outcome.message})`}`,
    })),
  ].sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  for (const entry of timeline) lines.push(`${formatVirtualTime(entry.atMs).padEnd(13)} ${entry.text.trimEnd()}`);
  lines.push('');
  lines.push(
    `Final: ${result.view.status}${result.view.failureReason ? ` (${result.view.failureReason.code}: ${result.view.failureReason.message})` : ''}`,
  );
  for (const step of result.view.steps) lines.push(`  ${step.nodeId.padEnd(28)} ${step.status}`);
  if (result.failures.length > 0) {
    lines.push('');
    lines.push(`Expectations FAILED (${result.failures.length}):`);
    for (const failure of result.failures) lines.push(`  - ${failure}`);
  } else {
    lines.push('');
    lines.push(result.checked ? 'Expectations met.' : 'No expectations to check.');
  }
  return lines.join('\n');
};

/** A completed step's decision, a failed step's error: `(approve)`, `(webhook-node-http-status: HTTP 503)`. */
const summaryOf = (data: Record<string, unknown> | null): string => {
  const decision = (data?.output as { decision?: unknown } | undefined)?.decision;
  if (typeof decision === 'string') return ` (${decision})`;
  const error = data?.error as { code?: unknown; message?: unknown } | undefined;
  if (typeof error?.code !== 'string') return '';
  return typeof error.message === 'string' ? ` (${error.code}: ${error.message})` : ` (${error.code})`;
};
