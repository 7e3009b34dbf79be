import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { dataDir, PROJECT_ROOT } from '../infra/tools';
import { engineBundleOptions } from '../infra/worker/workflow-bundle-options';

/** Every source the workflow bundle can import: the workflows and the pure core they drive. */
const SOURCE_DIRS = ['workflows', 'src'];

const sourcesDigest = (): string => {
  const hash = createHash('sha256');
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const file = path.join(dir, entry);
      if (statSync(file).isDirectory()) visit(file);
      else if (entry.endsWith('.ts') || entry.endsWith('.cjs')) hash.update(file).update(readFileSync(file));
    }
  };
  for (const dir of SOURCE_DIRS) visit(path.join(PROJECT_ROOT, dir));
  hash.update(readFileSync(path.join(PROJECT_ROOT, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
};

const noop = (): void => undefined;

/**
 * The engine's workflow bundle, built once per version of the sources and kept in `.data/simulate/`:
 * bundling takes tens of seconds, a simulation a few.
 */
export const engineWorkflowBundle = async (): Promise<{ code: string }> => {
  const dir = path.join(dataDir(), 'simulate');
  const file = path.join(dir, `workflows-${sourcesDigest()}.js`);
  if (existsSync(file)) return { code: readFileSync(file, 'utf8') };
  const { code } = await bundleWorkflowCode({
    ...engineBundleOptions(),
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop },
  });
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, file);
  return { code };
};
