import { existsSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { findOnPath, isExecutable } from './find-on-path';
import { runWithProgress } from './run-with-progress';
import { POSTGRES_APT_PACKAGE } from './versions';

export interface PostgresTools {
  /** Holds `initdb`, `postgres` and `pg_isready` of one PostgreSQL version. */
  binDir: string;
  origin: 'PATH' | 'debian' | 'apt-get';
}

const REQUIRED = ['initdb', 'postgres', 'pg_isready'];
const DEBIAN_ROOT = '/usr/lib/postgresql';

const isComplete = (binDir: string): boolean => REQUIRED.every((name) => isExecutable(path.join(binDir, name)));

/** Debian keeps the server binaries off PATH, one folder per major version; take the newest. */
const debianBinDir = (): string | undefined => {
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  return readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(DEBIAN_ROOT, version, 'bin'))
    .find(isComplete);
};

const pathBinDir = (): string | undefined => {
  const initdb = findOnPath('initdb');
  if (!initdb) return undefined;
  // Distributions often put symlinks on PATH; the real folder holds all of the version's binaries.
  const binDir = path.dirname(realpathSync(initdb));
  return isComplete(binDir) ? binDir : undefined;
};

/**
 * Finds PostgreSQL's server binaries, in this order: `initdb` on PATH → Debian's
 * /usr/lib/postgresql/<version>/bin → `apt-get update && apt-get install -y postgresql` (root only;
 * CI starts from a clean machine).
 */
export const ensurePostgres = async (log: (message: string) => void): Promise<PostgresTools> => {
  const fromPath = pathBinDir();
  if (fromPath) {
    log(`postgres: using ${fromPath} (initdb on PATH)`);
    return { binDir: fromPath, origin: 'PATH' };
  }
  const debian = debianBinDir();
  if (debian) {
    log(`postgres: using ${debian}`);
    return { binDir: debian, origin: 'debian' };
  }
  const aptGet = findOnPath('apt-get');
  if (!aptGet || process.getuid?.() !== 0) {
    throw new Error(
      `postgres: PostgreSQL is not installed. Install it (Debian/Ubuntu: \`sudo apt-get install ${POSTGRES_APT_PACKAGE}\`) ` +
        'or put its initdb on PATH',
    );
  }
  log(`postgres: not installed; running apt-get update && apt-get install -y ${POSTGRES_APT_PACKAGE}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runWithProgress(aptGet, ['update'], { label: 'apt-get update', env, log });
  await runWithProgress(aptGet, ['install', '-y', '--no-install-recommends', POSTGRES_APT_PACKAGE], {
    label: `apt-get install ${POSTGRES_APT_PACKAGE}`,
    env,
    log,
  });
  const installed = debianBinDir();
  if (!installed) throw new Error(`postgres: apt-get installed ${POSTGRES_APT_PACKAGE} but no server binaries are in ${DEBIAN_ROOT}`);
  return { binDir: installed, origin: 'apt-get' };
};
