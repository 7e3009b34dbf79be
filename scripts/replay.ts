/**
 * `npm run replay -- --execution <id> | --query '<visibility query>' | --file <history.json>`:
 * replays recorded runs against the current workflow code before a deploy and reports, per run, OK
 * or the first divergence. Exit code 0 only when every run replays. See docs/operations.md,
 * "Replaying histories", and the README's "Upgrading".
 */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../src/infra/config';
import { engineDataConverter } from '../src/infra/payload-codec/data-converter';
import { historySources } from '../src/infra/replay/history-sources';
import { parseReplayOptions, REPLAY_USAGE, UsageError } from '../src/infra/replay/replay-options';
import { replayAll } from '../src/infra/replay/run-replay';
import { describeTemporalConnection, temporalConnectionOptions } from '../src/infra/temporal/connection-config';
import { engineBundleOptions } from '../src/infra/worker/workflow-bundle-options';

const print = (line: string): void => console.log(line);
const noop = (): void => undefined;

const main = async (): Promise<number> => {
  let options;
  try {
    options = parseReplayOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`replay: ${error.message}\n${REPLAY_USAGE}`);
    return 2;
  }
  if (options.help) {
    print(REPLAY_USAGE);
    return 0;
  }
  const config = loadConfig();
  // The replay worker's state changes and the SDK core's own report of each divergence are noise
  // here: this command prints every divergence itself.
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

  const workflowBundle = options.workflowBundle
    ? { code: readFileSync(options.workflowBundle, 'utf8') }
    : await bundleWorkflowCode({
        ...engineBundleOptions(),
        logger: { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop },
      });

  const needsServer = options.executions.length > 0 || options.queries.length > 0;
  const connection = needsServer ? await Connection.connect(temporalConnectionOptions(config)) : null;
  const dataConverter = engineDataConverter(config.APPROVAL_PAYLOAD_KEYS);
  const client = connection
    ? new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...(dataConverter ? { dataConverter } : {}) })
    : null;
  if (connection) print(`replaying from ${describeTemporalConnection(config)}, namespace ${config.TEMPORAL_NAMESPACE}`);
  try {
    const totals = await replayAll(historySources(client, options), workflowBundle, print, dataConverter);
    print(`${totals.ok} replayed OK, ${totals.failed} failed`);
    return totals.failed === 0 && totals.ok > 0 ? 0 : 1;
  } finally {
    await connection?.close();
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `replay: ${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  },
);
