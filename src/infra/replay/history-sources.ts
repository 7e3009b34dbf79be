import { readFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { executionWorkflowId } from '../../contracts/execution-messages';
import { SA } from '../../contracts/search-attributes';
import { EXECUTION_ID_PATTERN } from '../../core/ids';
import { and } from '../temporal/visibility-query';
import type { ReplayOptions } from './replay-options';

type History = HistoryAndWorkflowId['history'];

/** One run to replay, or why it could not be fetched (reported as a failure, not thrown). */
export type HistorySource = { label: string; workflowId: string; runId: string; history: History } | { label: string; problem: string };

/** Follows continue-as-new back to the first run, so every run of the execution is replayed. */
const MAX_RUNS_PER_EXECUTION = 1000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Every history the options name: files first, then executions (each of their runs, oldest first),
 * then every run each visibility query matches (up to `limit`).
 */
export async function* historySources(client: Client | null, options: ReplayOptions): AsyncGenerator<HistorySource> {
  for (const file of options.files) yield await fromFile(file);
  for (const execution of options.executions) {
    if (!client) throw new Error('a Temporal client is needed for --execution');
    yield* fromExecution(client, execution, options.workspace);
  }
  for (const query of options.queries) {
    if (!client) throw new Error('a Temporal client is needed for --query');
    yield* fromQuery(client, query, options.limit);
  }
}

const fromFile = async (file: string): Promise<HistorySource> => {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as unknown;
    const history = historyFromJSON(json);
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    if (!started) return { label: file, problem: 'the file is not a workflow history (its first event is not WorkflowExecutionStarted)' };
    return { label: file, workflowId: started.workflowId ?? file, runId: started.originalExecutionRunId ?? '', history };
  } catch (error) {
    return { label: file, problem: `cannot read the history: ${message(error)}` };
  }
};

/** An execution id is found through its start time (part of the id) and the engine's search attributes. */
const resolveWorkflowId = async (client: Client, id: string, workspace: string | undefined): Promise<string | null> => {
  if (!EXECUTION_ID_PATTERN.test(id)) return id;
  if (workspace !== undefined) return executionWorkflowId(workspace, id);
  const startedAt = Number(id.split('_')[1]);
  const query = and(`${SA.kind.name} = 'execution'`, `${SA.startedAt.name} = ${startedAt}`);
  for await (const candidate of client.workflow.list({ query })) {
    if (candidate.workflowId.endsWith(`/${id}`)) return candidate.workflowId;
  }
  return null;
};

async function* fromExecution(client: Client, id: string, workspace: string | undefined): AsyncGenerator<HistorySource> {
  let workflowId: string | null;
  try {
    workflowId = await resolveWorkflowId(client, id, workspace);
  } catch (error) {
    yield { label: id, problem: `cannot look the execution up: ${message(error)}` };
    return;
  }
  if (workflowId === null) {
    yield { label: id, problem: 'no such execution in visibility (give --workspace if it was just dispatched)' };
    return;
  }
  const runs: HistorySource[] = [];
  let runId: string | undefined;
  try {
    do {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      const thisRun = started?.originalExecutionRunId ?? runId ?? '';
      runs.unshift({ label: workflowId, workflowId, runId: thisRun, history });
      runId = started?.continuedExecutionRunId || undefined;
    } while (runId !== undefined && runs.length < MAX_RUNS_PER_EXECUTION);
  } catch (error) {
    yield { label: workflowId, problem: `cannot fetch the history: ${message(error)}` };
    return;
  }
  yield* runs;
}

async function* fromQuery(client: Client, query: string, limit: number): AsyncGenerator<HistorySource> {
  let seen = 0;
  try {
    for await (const run of client.workflow.list({ query })) {
      if (seen >= limit) return;
      seen += 1;
      try {
        const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
        yield { label: run.workflowId, workflowId: run.workflowId, runId: run.runId, history };
      } catch (error) {
        yield { label: run.workflowId, problem: `cannot fetch the history of run ${run.runId}: ${message(error)}` };
      }
    }
  } catch (error) {
    yield { label: query, problem: `the visibility query failed: ${message(error)}` };
  }
  if (seen === 0) yield { label: query, problem: 'the query matched no run' };
}
