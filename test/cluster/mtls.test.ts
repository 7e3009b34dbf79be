import { readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { testConnectionOptions, testTemporalSettings } from '../support/temporal-connection';
import { makeCertificates } from '../support/test-certificates';

/** Completes a TLS handshake and waits for the server's verdict on it: an alert code, or `open`. */
const handshake = (address: string, options: { ca: Buffer; cert?: Buffer; key?: Buffer }): Promise<string> =>
  new Promise<string>((resolve) => {
    const [host, port] = address.split(':');
    const socket = tlsConnect({ host, port: Number(port), servername: 'localhost', ALPNProtocols: ['h2'], ...options });
    // TLS 1.3 finishes the client's side before the server checks the client certificate; its alert follows.
    socket.once('secureConnect', () => setTimeout(() => resolve('open'), 1_000).unref());
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.once('close', () => setTimeout(() => resolve('closed'), 50));
  });

/** What an outsider who reaches the port but holds no certificate of ours can try. */
describe('the cluster frontend requires a client certificate (mTLS)', () => {
  const settings = testTemporalSettings();
  const address = settings.TEMPORAL_ADDRESS;
  const caOnly = () => ({
    address,
    tls: { serverRootCACertificate: readFileSync(settings.TEMPORAL_TLS_CA!), serverNameOverride: settings.TEMPORAL_TLS_SERVER_NAME! },
  });
  let stranger: Awaited<ReturnType<typeof makeCertificates>>;
  beforeAll(async () => {
    stranger = await makeCertificates();
  });
  afterAll(() => stranger?.remove());

  it('accepts the engine client certificate', async () => {
    const connection = await Connection.connect(testConnectionOptions());
    try {
      const { namespaceInfo } = await connection.workflowService.describeNamespace({ namespace: 'default' });
      expect(namespaceInfo?.name).toBe('default');
    } finally {
      await connection.close();
    }
  });

  it('refuses a TLS client without a certificate during the handshake, and so the API client and the worker', async () => {
    expect(await handshake(address, { ca: readFileSync(settings.TEMPORAL_TLS_CA!) })).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
    expect(
      await handshake(address, {
        ca: readFileSync(settings.TEMPORAL_TLS_CA!),
        cert: readFileSync(settings.TEMPORAL_TLS_CERT!),
        key: readFileSync(settings.TEMPORAL_TLS_KEY!),
      }),
    ).toBe('open');
    // The worker sees the closed connection (the alert's wording depends on timing), the API client a failed connect.
    await expect(NativeConnection.connect(caOnly())).rejects.toThrow('Failed to call GetSystemInfo');
    await expect(Connection.connect({ ...caOnly(), connectTimeout: 5_000 })).rejects.toThrow('Failed to connect');
  });

  it('refuses a plaintext client', async () => {
    await expect(Connection.connect({ address, connectTimeout: 5_000 })).rejects.toThrow('Failed to connect');
    await expect(NativeConnection.connect({ address })).rejects.toThrow('Failed to call GetSystemInfo');
  });

  it('refuses a client certificate from another CA', async () => {
    const options = {
      ...caOnly(),
      tls: {
        ...caOnly().tls,
        clientCertPair: { crt: readFileSync(stranger.files.clientCert), key: readFileSync(stranger.files.clientKey) },
      },
    };
    const ca = readFileSync(settings.TEMPORAL_TLS_CA!);
    expect(await handshake(address, { ca, cert: options.tls.clientCertPair.crt, key: options.tls.clientCertPair.key })).toBe(
      'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
    );
    await expect(NativeConnection.connect(options)).rejects.toThrow('Failed to call GetSystemInfo');
    await expect(Connection.connect({ ...options, connectTimeout: 5_000 })).rejects.toThrow('Failed to connect');
  });

  it('listens on loopback only', async () => {
    const port = Number(address.split(':')[1]);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
    if (!external) return; // A machine with no other interface has nothing to show.
    const outcome = await new Promise<string>((resolve) => {
      const socket = tcpConnect({ host: external, port, timeout: 3_000 });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      socket.once('timeout', () => {
        socket.destroy();
        resolve('timeout');
      });
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});
