/**
 * What a `timeout` costs a call into a `vm` context (docs/bench.md, "Decisions on runs out of the
 * cache"): the SDK passes its isolate timeout on every call into the workflow sandbox, and Node
 * starts a watchdog thread for each. Prints microseconds per call with and without a timeout.
 *
 *   npx tsx scripts/bench/vm-timeout-cost.ts [--calls 20000]
 */
import vm from 'node:vm';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '20000' } } });
const calls = Number(values.calls);
const context = vm.createContext({ counter: 0 });
const script = new vm.Script('counter += 1');

for (const options of [{}, { timeout: 5_000 }, {}, { timeout: 5_000 }]) {
  const started = process.hrtime.bigint();
  for (let call = 0; call < calls; call += 1) script.runInContext(context, options);
  const micros = Number(process.hrtime.bigint() - started) / calls / 1000;
  console.log(`${'timeout' in options ? 'with a 5 s timeout' : 'without a timeout '}: ${micros.toFixed(1)} µs per call`);
}
