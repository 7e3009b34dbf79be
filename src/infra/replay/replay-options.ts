import { parseArgs } from 'node:util';

/** What `npm run replay` was asked to replay (docs/operations.md, "Replaying histories"). */
export interface ReplayOptions {
  /** Execution ids (`exec_…`) or full workflow ids (`approval-exec/<workspace>/<execution>`). */
  executions: string[];
  /** Visibility queries; every run they match is replayed. */
  queries: string[];
  /** History files (JSON, as `temporal workflow show --output json` or the SDK's fetchHistory write them). */
  files: string[];
  /** Narrows `--execution` lookups to one workspace (skips the visibility lookup). */
  workspace: string | undefined;
  /** Replay against a pre-built workflow bundle instead of bundling `workflows/` now. */
  workflowBundle: string | undefined;
  /** Upper bound on the runs one query replays. */
  limit: number;
  help: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const REPLAY_USAGE = `Usage: npm run replay -- [--execution <id>]... [--query '<visibility query>']... [--file <history.json>]...
  --execution <id>          an execution id (exec_…) or a workflow id; repeatable
  --workspace <id>          the workspace of the --execution ids (otherwise looked up in visibility)
  --query '<query>'         every run a visibility query matches, e.g. "ApprovalDefinitionId = 'def_1'"
  --file <history.json>     a history exported as JSON; repeatable
  --limit <n>               at most n runs per query (default 1000)
  --workflow-bundle <file>  replay against a pre-built bundle (bundleWorkflowCode output) instead of workflows/
Connection: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY, APPROVAL_PAYLOAD_KEYS, as the worker reads them.
Exit code: 0 when every run replays, 1 when any diverges or fails, 2 on bad usage.`;

export const parseReplayOptions = (argv: string[]): ReplayOptions => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        execution: { type: 'string', multiple: true },
        query: { type: 'string', multiple: true },
        file: { type: 'string', multiple: true },
        workspace: { type: 'string' },
        'workflow-bundle': { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  const limit = values.limit === undefined ? 1000 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError(`--limit must be a positive integer, got ${JSON.stringify(values.limit)}`);
  for (const [flag, list] of [
    ['--execution', values.execution],
    ['--query', values.query],
    ['--file', values.file],
  ] as const) {
    if (list?.some((value) => value.trim() === '')) throw new UsageError(`${flag} must not be empty`);
  }
  const options: ReplayOptions = {
    executions: values.execution ?? [],
    queries: values.query ?? [],
    files: values.file ?? [],
    workspace: values.workspace,
    workflowBundle: values['workflow-bundle'],
    limit,
    help: values.help ?? false,
  };
  if (!options.help && options.executions.length + options.queries.length + options.files.length === 0) {
    throw new UsageError('nothing to replay: give --execution, --query or --file');
  }
  return options;
};
