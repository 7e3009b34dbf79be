import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureClusterCertificates, type ClusterCertificates } from '../../src/infra/cluster/certificates';
import { ensureOpenssl } from '../../src/infra/tools';

/** A fresh CA with a frontend and a client certificate, the way `npm run cluster` makes them. */
export const makeCertificates = async (): Promise<{ files: ClusterCertificates; remove: () => void }> => {
  const openssl = await ensureOpenssl(() => undefined);
  const dir = mkdtempSync(path.join(tmpdir(), 'approval-tls-'));
  const { files } = ensureClusterCertificates(openssl, dir);
  return { files, remove: () => rmSync(dir, { recursive: true, force: true }) };
};
