import { execFileSync } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The PKI of a cluster whose frontend requires client certificates (mTLS). */
export interface ClusterCertificates {
  ca: string;
  caKey: string;
  /** Presented by the frontend; also the system worker's client certificate. */
  serverCert: string;
  serverKey: string;
  /** What the engine's API and worker present. */
  clientCert: string;
  clientKey: string;
  /** The name the clients check the frontend's certificate against. */
  serverName: string;
}

/** Names in the frontend certificate: loopback for `npm run cluster`, `temporal` for docker-compose.yml. */
export const FRONTEND_NAMES = { dns: ['localhost', 'temporal'], ip: ['127.0.0.1', '::1'] };
export const FRONTEND_SERVER_NAME = 'localhost';
const VALID_DAYS = 825;
const RENEW_WITHIN_MS = 30 * 24 * 3600 * 1000;

export const certificateFiles = (dir: string): ClusterCertificates => ({
  ca: path.join(dir, 'ca.pem'),
  caKey: path.join(dir, 'ca-key.pem'),
  serverCert: path.join(dir, 'server.pem'),
  serverKey: path.join(dir, 'server-key.pem'),
  clientCert: path.join(dir, 'client.pem'),
  clientKey: path.join(dir, 'client-key.pem'),
  serverName: FRONTEND_SERVER_NAME,
});

const stillGood = (files: ClusterCertificates, now: number): boolean => {
  const paths = [files.ca, files.caKey, files.serverCert, files.serverKey, files.clientCert, files.clientKey];
  if (!paths.every((file) => existsSync(file))) return false;
  try {
    const ca = new X509Certificate(readFileSync(files.ca));
    return [files.ca, files.serverCert, files.clientCert].every((file) => {
      const cert = new X509Certificate(readFileSync(file));
      return Date.parse(cert.validTo) - now > RENEW_WITHIN_MS && cert.verify(ca.publicKey);
    });
  } catch {
    return false;
  }
};

interface Leaf {
  cert: string;
  key: string;
  commonName: string;
  extensions: string[];
}

/**
 * Keeps a CA, a frontend certificate and a client certificate in `dir`, generating them with
 * openssl (P-256 keys) when any is missing, invalid or within 30 days of expiry.
 * Returns whether they were (re)generated.
 */
export const ensureClusterCertificates = (
  openssl: string,
  dir: string,
  now: number = Date.now(),
): { files: ClusterCertificates; generated: boolean } => {
  const files = certificateFiles(dir);
  if (stillGood(files, now)) return { files, generated: false };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const run = (args: string[]): void => {
    execFileSync(openssl, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    files.caKey,
    '-out',
    files.ca,
    '-days',
    String(VALID_DAYS),
    '-subj',
    '/CN=approval-engine cluster CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const altNames = [...FRONTEND_NAMES.dns.map((name) => `DNS:${name}`), ...FRONTEND_NAMES.ip.map((ip) => `IP:${ip}`)];
  const leaves: Leaf[] = [
    {
      cert: files.serverCert,
      key: files.serverKey,
      commonName: 'temporal-frontend',
      extensions: [`subjectAltName=${altNames.join(',')}`, 'extendedKeyUsage=serverAuth,clientAuth'],
    },
    { cert: files.clientCert, key: files.clientKey, commonName: 'approval-engine', extensions: ['extendedKeyUsage=clientAuth'] },
  ];
  for (const leaf of leaves) {
    const csr = `${leaf.cert}.csr`;
    const extFile = `${leaf.cert}.ext`;
    writeFileSync(extFile, [...leaf.extensions, 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature'].join('\n'));
    run(['req', ...newKey, '-keyout', leaf.key, '-out', csr, '-subj', `/CN=${leaf.commonName}`]);
    run([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      files.ca,
      '-CAkey',
      files.caKey,
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      String(VALID_DAYS),
      '-extfile',
      extFile,
      '-out',
      leaf.cert,
    ]);
    rmSync(csr);
    rmSync(extFile);
  }
  for (const key of [files.caKey, files.serverKey, files.clientKey]) chmodSync(key, 0o600);
  return { files, generated: true };
};
