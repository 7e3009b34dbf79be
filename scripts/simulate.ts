/**
 * `npm run simulate -- --definition def.json --script scenario.json`: runs a definition against a
 * scripted scenario on the time-skipping test server and prints the event stream and the final
 * view. Exit code 1 when the scenario's `expect` is not met, 2 on bad input. See docs/simulate.md.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Runtime } from '@temporalio/worker';
import { ensureTestServer } from '../src/infra/tools';
import { formatSimulation, parseScenario, ScenarioError, simulate, SimulationError, SimulationLogger } from '../src/testkit';

const USAGE = `Usage: npm run simulate -- --definition <definition.json> --script <scenario.json> [--json]
  --definition  the definition, as sent to definitions/create (with or without the { "data": … } envelope)
  --script      the scenario: agent outcomes, reviewer decisions at virtual times, expectations (docs/simulate.md)
  --json        print the result as JSON instead of the timeline`;

const readJson = (flag: string, file: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SimulationError(`${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read'}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SimulationError(`${flag} ${file}: not JSON (${(error as Error).message})`);
  }
};

const main = async (): Promise<number> => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        definition: { type: 'string' },
        script: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`simulate: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.definition || !values.script) {
    console.error(`simulate: ${values.definition ? '--script' : '--definition'} is required\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  try {
    const definition = readJson('--definition', values.definition);
    const scenario = parseScenario(readJson('--script', values.script));
    Runtime.install({ logger: new SimulationLogger('WARN'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
    const testServer = await ensureTestServer((message) => console.error(`[simulate] ${message}`));
    const result = await simulate(definition, scenario, { testServerPath: testServer.kind === 'path' ? testServer.path : undefined });
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      console.log(formatSimulation(result));
      console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s of wall time)`);
    }
    return result.passed ? 0 : 1;
  } catch (error) {
    if (error instanceof SimulationError || error instanceof ScenarioError) {
      console.error(`simulate: ${error.message}`);
      return 2;
    }
    throw error;
  }
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`simulate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
