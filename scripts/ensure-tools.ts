import { ensureTemporalCli, ensureTestServer } from '../src/infra/tools';

const log = (message: string): void => console.log(`[tools] ${message}`);

try {
  await ensureTemporalCli(log);
  await ensureTestServer(log);
} catch (error) {
  console.error(`[tools] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
