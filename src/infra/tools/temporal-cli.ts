import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { findOnPath, isExecutable } from './find-on-path';
import { runWithProgress } from './run-with-progress';
import { toolsDir } from './tool-paths';
import { TEMPORAL_CLI_MODULE, TEMPORAL_CLI_VERSION } from './versions';

export type TemporalCliSource =
  { kind: 'path'; path: string; origin: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go-build' } | { kind: 'sdk-download' };

export const cachedCliPath = (): string => path.join(toolsDir(), 'bin', 'temporal');

/**
 * Finds or builds the `temporal` CLI (dev server + Web UI):
 * TEMPORAL_CLI_PATH → `temporal` on PATH → cached build → `go install` → the SDK's own download.
 */
export const ensureTemporalCli = async (log: (message: string) => void): Promise<TemporalCliSource> => {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    log(`temporal CLI: using TEMPORAL_CLI_PATH (${fromEnv})`);
    return { kind: 'path', path: fromEnv, origin: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal');
  if (onPath) {
    log(`temporal CLI: using ${onPath} from PATH`);
    return { kind: 'path', path: onPath, origin: 'PATH' };
  }
  const cached = cachedCliPath();
  if (isExecutable(cached)) {
    log(`temporal CLI: using cached build ${cached}`);
    return { kind: 'path', path: cached, origin: 'cache' };
  }
  const go = findOnPath('go');
  if (!go) {
    log('temporal CLI: no Go toolchain found; falling back to the Temporal SDK download (needs internet)');
    return { kind: 'sdk-download' };
  }
  log(
    `temporal CLI: building ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} with ${go} ` +
      '(first build downloads modules and compiles the server and UI; expect several minutes)',
  );
  const binDir = path.dirname(cached);
  mkdirSync(binDir, { recursive: true });
  await runWithProgress(go, ['install', '-v', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
    label: 'go install temporal',
    // A module-aware build outside any go.mod; GOFLAGS from the caller's environment would only interfere.
    cwd: binDir,
    env: { ...process.env, GOBIN: binDir, GOFLAGS: '', GO111MODULE: 'on' },
    countLine: (line) => !line.startsWith('go: '),
    log,
  });
  if (!existsSync(cached)) throw new Error(`go install finished but ${cached} is missing`);
  return { kind: 'path', path: cached, origin: 'go-build' };
};
