/**
 * The raw floor's worker, a process of its own like the engine's (docs/bench.md): SDK defaults,
 * only the trivial workflow of raw-workflow.ts. Prints `raw worker ready` once it polls.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'bench-raw';

Runtime.install({ logger: new DefaultLogger('WARN') });
const connection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection,
  namespace: 'default',
  taskQueue,
  workflowsPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'raw-workflow.ts'),
});
console.log('raw worker ready');
await worker.run();
await connection.close();
