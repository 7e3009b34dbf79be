import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describeDivergence, formatDivergence } from './divergence';
import type { HistorySource } from './history-sources';

export interface ReplayTotals {
  ok: number;
  failed: number;
}

type Fetched = Extract<HistorySource, { history: unknown }>;

/**
 * Replays each history against the given workflow code and prints one line per run: `OK` or the
 * first divergence (docs/operations.md, "Replaying histories"). Histories are replayed one by one as
 * they are fetched, so a long query starts reporting at once.
 */
export const replayAll = async (
  sources: AsyncIterable<HistorySource>,
  workflowBundle: { code: string },
  print: (line: string) => void,
  dataConverter?: DataConverter,
): Promise<ReplayTotals> => {
  const totals: ReplayTotals = { ok: 0, failed: 0 };
  const pending: Fetched[] = [];
  async function* fetched(): AsyncGenerator<{ workflowId: string; history: Fetched['history'] }> {
    for await (const source of sources) {
      if ('problem' in source) {
        totals.failed += 1;
        print(`FAIL  ${source.label}: ${source.problem}`);
        continue;
      }
      pending.push(source);
      yield { workflowId: source.workflowId, history: source.history };
    }
  }
  const results = Worker.runReplayHistories({ workflowBundle, ...(dataConverter ? { dataConverter } : {}) }, fetched());
  for await (const result of results) {
    const source = pending.shift();
    const run = `${source?.label ?? result.workflowId} run ${source?.runId || result.runId}`;
    if (!result.error) {
      totals.ok += 1;
      print(`OK    ${run}`);
      continue;
    }
    totals.failed += 1;
    if (result.error instanceof DeterminismViolationError) {
      const divergence = describeDivergence(result.error.message);
      print(`FAIL  ${run}: ${formatDivergence(divergence)}`);
      print(`      ${divergence.detail}`);
    } else {
      print(`FAIL  ${run}: replay failed: ${result.error.message}`);
    }
  }
  return totals;
};
