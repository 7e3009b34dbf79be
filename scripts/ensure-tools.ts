import { ensureOpenssl, ensurePostgres, ensureTemporalCli, ensureTemporalServerTools, ensureTestServer } from '../src/infra/tools';

const log = (message: string): void => console.log(`[tools] ${message}`);
// `--cluster`: what `npm run cluster` and `npm run test:cluster` need instead of the dev tools.
const cluster = process.argv.includes('--cluster');

try {
  if (cluster) {
    await ensureTemporalServerTools(log);
    await ensurePostgres(log);
    await ensureOpenssl(log);
  } else {
    await ensureTemporalCli(log);
    await ensureTestServer(log);
  }
} catch (error) {
  console.error(`[tools] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
