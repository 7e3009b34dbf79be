/**
 * The raw-SDK floor of `npm run bench` (docs/bench.md): the least a workflow with one Update
 * handler can cost. It records each request and answers at once, and stays open until signalled.
 */
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export interface RawDecision {
  reviewerId: string;
  decision: string;
}

export const rawDecideUpdate = defineUpdate<{ recorded: boolean; count: number }, [RawDecision]>('rawDecide');
export const rawStopSignal = defineSignal('rawStop');

export async function rawWorkflow(): Promise<number> {
  const seen = new Set<string>();
  let stopped = false;
  setHandler(rawDecideUpdate, (request) => {
    const recorded = !seen.has(request.reviewerId);
    seen.add(request.reviewerId);
    return { recorded, count: seen.size };
  });
  setHandler(rawStopSignal, () => {
    stopped = true;
  });
  await condition(() => stopped);
  return seen.size;
}
