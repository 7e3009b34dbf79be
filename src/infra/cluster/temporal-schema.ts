import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SchemaTarget {
  sqlTool: string;
  host: string;
  port: number;
  user: string;
  password: string;
  log: (message: string) => void;
}

/** The two databases of a Temporal cluster on SQL, and the server's embedded schema for each. */
export const TEMPORAL_DATABASES = [
  { database: 'temporal', schema: 'postgresql/v12/temporal', what: 'default store' },
  { database: 'temporal_visibility', schema: 'postgresql/v12/visibility', what: 'SQL visibility' },
] as const;

/**
 * Creates the databases when missing and brings both schemas to the version the server binary
 * expects, with the server's own `temporal-sql-tool`. Safe to repeat: after a server upgrade it
 * applies just the new schema versions.
 */
export const setupTemporalSchemas = async (target: SchemaTarget): Promise<void> => {
  // The password travels in the environment, never on a command line other users can read.
  const env = { ...process.env, SQL_PASSWORD: target.password };
  const tool = async (database: string, args: string[]): Promise<string> => {
    const base = ['--plugin', 'postgres12', '--ep', target.host, '-p', String(target.port), '-u', target.user, '--db', database];
    try {
      const { stdout, stderr } = await run(target.sqlTool, [...base, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
      return `${stdout}${stderr}`;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`temporal-sql-tool ${args[0]} ${database} failed:\n${stdout}${stderr}`);
    }
  };
  for (const { database, schema, what } of TEMPORAL_DATABASES) {
    // Each step is idempotent: an existing database is kept, applied schema versions are skipped.
    await tool(database, ['create-database']);
    await tool(database, ['setup-schema', '-v', '0.0']);
    await tool(database, ['update-schema', '--schema-name', schema]);
    target.log(`schema: database ${database} (${what}) is at the schema version the server expects`);
  }
};
