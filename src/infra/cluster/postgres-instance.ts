import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startProcess, stopLeftover, type ManagedProcess } from './managed-process';

const run = promisify(execFile);

export interface PostgresOptions {
  binDir: string;
  /** Holds the database files (`pgdata/`) and the generated password; created on first start. */
  root: string;
  port: number;
  /** Tests trade crash safety for speed (no fsync); `npm run cluster` keeps PostgreSQL's defaults. */
  durable: boolean;
  log: (message: string) => void;
  onLine?: (line: string) => void;
}

export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  /** `<root>/pgdata`, unless the server's account cannot reach it (see `dataDirFor`). */
  dataDir: string;
  process: ManagedProcess;
  stop: () => Promise<void>;
}

export const POSTGRES_USER = 'temporal';

/** PostgreSQL refuses to run as root; as root we run it as Debian's `postgres` system user. */
const serverAccount = (): { uid: number; gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (!entry)
    throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (apt-get install postgresql creates it)');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
};

/** Whether `account` may traverse every existing folder from `/` down to `dir`. */
const reachable = (dir: string, account: { uid: number; gid: number }): boolean => {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(current)) {
      const { mode, uid, gid } = statSync(current);
      const traversable = uid === account.uid ? mode & 0o100 : gid === account.gid ? mode & 0o010 : mode & 0o001;
      if (!traversable) return false;
    }
    if (current === path.dirname(current)) return true;
  }
};

/**
 * `<root>/pgdata`, except when running as root under a folder the `postgres` account cannot enter
 * (a checkout in a private 0700 folder): initdb would fail there, so the data goes to a folder of
 * its own in the system's temporary directory, named after `root` so every start finds it again.
 */
export const dataDirFor = (root: string, account: { uid: number; gid: number } | undefined): string => {
  const inRoot = path.join(root, 'pgdata');
  if (!account || reachable(root, account)) return inRoot;
  const key = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `approval-engine-pgdata-${key}`, 'pgdata');
};

const chownTree = async (dir: string, account: { uid: number; gid: number }): Promise<void> => {
  await run('chown', ['-R', `${account.uid}:${account.gid}`, dir]);
};

const waitUntilReady = async (binDir: string, port: number, server: ManagedProcess, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`PostgreSQL exited during start:\n${server.tail()}`);
    try {
      await run(path.join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '2', '-q']);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port} within ${timeoutMs / 1000}s:\n${server.tail()}`);
};

/**
 * A PostgreSQL server owned by the project: its own data folder (initialised on first use with a
 * random password for the `temporal` superuser), listening on loopback TCP only, no Unix socket.
 */
export const startPostgres = async (options: PostgresOptions): Promise<RunningPostgres> => {
  const passwordFile = path.join(options.root, 'postgres-password');
  const account = serverAccount();
  mkdirSync(options.root, { recursive: true });
  const dataDir = dataDirFor(options.root, account);
  if (dataDir !== path.join(options.root, 'pgdata')) {
    options.log(`PostgreSQL: the postgres account cannot enter ${options.root} (a private parent folder); its data goes to ${dataDir}`);
    mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  }
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pid > 0 && (await stopLeftover(pid, 'postgres', 'SIGINT'))) {
      options.log(`stopped a PostgreSQL (pid ${pid}) left running on ${dataDir} by an earlier start`);
    }
  }
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.log(`PostgreSQL: initialising ${dataDir}`);
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const password = randomBytes(24).toString('base64url');
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    const initPasswordFile = path.join(dataDir, '..', `.pwfile-${process.pid}`);
    writeFileSync(initPasswordFile, `${password}\n`, { mode: 0o600 });
    if (account) {
      await chownTree(dataDir, account);
      chownSync(initPasswordFile, account.uid, account.gid);
    }
    try {
      const initdb = startProcess(
        'initdb',
        path.join(options.binDir, 'initdb'),
        [
          '-D',
          dataDir,
          '-U',
          POSTGRES_USER,
          `--pwfile=${initPasswordFile}`,
          '--auth=scram-sha-256',
          '-E',
          'UTF8',
          '--locale=C',
          '--no-instructions',
        ],
        account ?? {},
      );
      if ((await initdb.exited) !== 0) throw new Error(`initdb failed:\n${initdb.tail()}`);
    } finally {
      rmSync(initPasswordFile, { force: true });
    }
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const settings = [
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'max_connections=200',
    ...(options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
  ];
  const server = startProcess(
    'postgres',
    path.join(options.binDir, 'postgres'),
    ['-D', dataDir, '-p', String(options.port), ...settings.flatMap((setting) => ['-c', setting])],
    { ...(account ?? {}), ...(options.onLine ? { onLine: options.onLine } : {}) },
  );
  try {
    await waitUntilReady(options.binDir, options.port, server);
  } catch (error) {
    await server.stop('SIGINT');
    throw error;
  }
  return {
    host: '127.0.0.1',
    port: options.port,
    user: POSTGRES_USER,
    password,
    dataDir,
    process: server,
    // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
    stop: () => server.stop('SIGINT', 30_000),
  };
};
