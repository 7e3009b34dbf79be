/**
 * `npm run cluster:certs -- <dir>`: the CA, frontend and client certificates `npm run cluster`
 * generates, written to <dir> for docker-compose.yml (default `.data/compose/tls`).
 */
import path from 'node:path';
import { ensureClusterCertificates } from '../src/infra/cluster/certificates';
import { PROJECT_ROOT, ensureOpenssl } from '../src/infra/tools';

const log = (message: string): void => console.log(`[certs] ${message}`);

try {
  const dir = path.resolve(process.argv[2] ?? path.join(PROJECT_ROOT, '.data/compose/tls'));
  const { files, generated } = ensureClusterCertificates(await ensureOpenssl(log), dir);
  log(`${generated ? 'generated' : 'kept the valid'} CA, frontend and client certificates in ${dir}`);
  log(`frontend names: localhost, temporal, 127.0.0.1; clients check it as ${files.serverName} (or temporal inside compose)`);
} catch (error) {
  console.error(`[certs] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
