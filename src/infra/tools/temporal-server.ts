import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { findOnPath, isExecutable } from './find-on-path';
import { runWithProgress } from './run-with-progress';
import { toolsDir } from './tool-paths';
import { TEMPORAL_SERVER_PACKAGE, TEMPORAL_SERVER_VERSION, TEMPORAL_SQL_TOOL_PACKAGE } from './versions';

export type ServerToolOrigin = 'env' | 'PATH' | 'cache' | 'go-build';

export interface TemporalServerTools {
  /** `temporal-server`: the full server (frontend, history, matching, worker) in one process. */
  server: string;
  /** `temporal-sql-tool`: creates the databases and applies the schema versions the server needs. */
  sqlTool: string;
  origin: ServerToolOrigin;
}

// The names the official images use; `go install` would call them `server` and `sql`.
const SERVER_BINARY = 'temporal-server';
const SQL_TOOL_BINARY = 'temporal-sql-tool';

/** Versioned, so a bump in versions.ts builds the new server instead of reusing the old one. */
export const cachedServerToolsDir = (): string => path.join(toolsDir(), 'temporal-server', TEMPORAL_SERVER_VERSION, 'bin');

const reportedVersion = (binary: string): string | undefined => {
  try {
    return /(\d+\.\d+\.\d+)/.exec(execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 }))?.[1];
  } catch {
    return undefined;
  }
};

/**
 * Finds or builds the Temporal server and its SQL tool, in this order:
 * TEMPORAL_SERVER_PATH + TEMPORAL_SQL_TOOL_PATH → both on PATH → cached build → `go install` (one
 * build for both, from the Go module proxy). There is no download fallback: the server is only
 * published as source and images.
 */
export const ensureTemporalServerTools = async (log: (message: string) => void): Promise<TemporalServerTools> => {
  const fromEnv = { server: process.env.TEMPORAL_SERVER_PATH, sqlTool: process.env.TEMPORAL_SQL_TOOL_PATH };
  if (fromEnv.server || fromEnv.sqlTool) {
    if (!fromEnv.server || !fromEnv.sqlTool) throw new Error('set TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH together');
    for (const [name, file] of Object.entries({ TEMPORAL_SERVER_PATH: fromEnv.server, TEMPORAL_SQL_TOOL_PATH: fromEnv.sqlTool })) {
      if (!isExecutable(file)) throw new Error(`${name}=${file} is not an executable file`);
    }
    log(`temporal server: using TEMPORAL_SERVER_PATH (${fromEnv.server}) and TEMPORAL_SQL_TOOL_PATH (${fromEnv.sqlTool})`);
    return { server: fromEnv.server, sqlTool: fromEnv.sqlTool, origin: 'env' };
  }
  const onPath = { server: findOnPath(SERVER_BINARY), sqlTool: findOnPath(SQL_TOOL_BINARY) };
  if (onPath.server && onPath.sqlTool) {
    const version = reportedVersion(onPath.server);
    const wanted = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
    log(`temporal server: using ${onPath.server} and ${onPath.sqlTool} from PATH (version ${version ?? 'unknown'})`);
    if (version !== wanted) log(`temporal server: warning: the tested version is ${wanted}`);
    return { server: onPath.server, sqlTool: onPath.sqlTool, origin: 'PATH' };
  }
  const binDir = cachedServerToolsDir();
  const cached = { server: path.join(binDir, SERVER_BINARY), sqlTool: path.join(binDir, SQL_TOOL_BINARY) };
  if (isExecutable(cached.server) && isExecutable(cached.sqlTool)) {
    log(`temporal server: using cached build ${binDir}`);
    return { ...cached, origin: 'cache' };
  }
  const go = findOnPath('go');
  if (!go) {
    throw new Error(
      'temporal server: no Go toolchain found. Install Go (https://go.dev/dl), put temporal-server and temporal-sql-tool ' +
        'on PATH, or set TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH',
    );
  }
  const packages = [TEMPORAL_SERVER_PACKAGE, TEMPORAL_SQL_TOOL_PACKAGE].map((pkg) => `${pkg}@${TEMPORAL_SERVER_VERSION}`);
  log(
    `temporal server: building ${packages.join(' and ')} with ${go} ` +
      "(the first build downloads modules and compiles the server; expect several minutes, later builds reuse Go's build cache)",
  );
  mkdirSync(binDir, { recursive: true });
  await runWithProgress(go, ['install', '-v', ...packages], {
    label: 'go install temporal-server',
    // A module-aware build outside any go.mod; GOFLAGS from the caller's environment would only interfere.
    cwd: binDir,
    env: { ...process.env, GOBIN: binDir, GOFLAGS: '', GO111MODULE: 'on' },
    countLine: (line) => !line.startsWith('go: '),
    log,
  });
  renameSync(path.join(binDir, 'server'), cached.server);
  renameSync(path.join(binDir, 'sql'), cached.sqlTool);
  return { ...cached, origin: 'go-build' };
};
