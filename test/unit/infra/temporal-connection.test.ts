import { readFileSync } from 'node:fs';
import { createSecureServer, type IncomingHttpHeaders, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions } from '../../../src/infra/temporal/connection-config';
import { makeCertificates } from '../../support/test-certificates';

interface Seen {
  headers: IncomingHttpHeaders;
  clientCertificateSubject: string | undefined;
}

/** A TLS gRPC endpoint that records what each call carries and refuses it as UNAUTHENTICATED. */
const startRecorder = (files: {
  serverCert: string;
  serverKey: string;
  ca: string;
}): Promise<{ port: number; seen: Seen[]; close: () => Promise<void> }> =>
  new Promise((resolve) => {
    const seen: Seen[] = [];
    const server = createSecureServer({
      cert: readFileSync(files.serverCert),
      key: readFileSync(files.serverKey),
      ca: readFileSync(files.ca),
      requestCert: true,
      rejectUnauthorized: false,
    });
    // Clients keep their sessions open and the server's close() waits for them: end them first.
    const sessions = new Set<ServerHttp2Session>();
    server.on('session', (session) => sessions.add(session));
    server.on('stream', (stream, headers) => {
      const peer = (stream.session?.socket as TLSSocket | undefined)?.getPeerCertificate();
      seen.push({ headers, clientCertificateSubject: [peer?.subject?.CN].flat()[0] });
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '16', 'grpc-message': 'recorded' }));
      stream.end();
    });
    const close = (): Promise<void> =>
      new Promise((done) => {
        for (const session of sessions) session.destroy();
        server.close(() => done());
      });
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, seen, close }));
  });

describe('the Temporal connection settings on the wire', () => {
  let pki: Awaited<ReturnType<typeof makeCertificates>>;
  let recorder: Awaited<ReturnType<typeof startRecorder>>;
  beforeAll(async () => {
    pki = await makeCertificates();
    recorder = await startRecorder(pki.files);
  });
  afterAll(async () => {
    await recorder?.close();
    pki?.remove();
  });

  const settings = () => ({
    TEMPORAL_ADDRESS: `127.0.0.1:${recorder.port}`,
    TEMPORAL_API_KEY: 'cloud-api-key-123',
    TEMPORAL_TLS_CA: pki.files.ca,
    TEMPORAL_TLS_CERT: pki.files.clientCert,
    TEMPORAL_TLS_KEY: pki.files.clientKey,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
  });

  it('the API client sends the API key as a bearer token over TLS, with the client certificate', async () => {
    recorder.seen.length = 0;
    await expect(Connection.connect({ ...temporalConnectionOptions(settings()), connectTimeout: 5_000 })).rejects.toThrow();
    expect(recorder.seen.length).toBeGreaterThan(0);
    expect(recorder.seen[0]!.headers.authorization).toBe('Bearer cloud-api-key-123');
    expect(recorder.seen[0]!.clientCertificateSubject).toBe('approval-engine');
  });

  it('the worker connection does the same', async () => {
    recorder.seen.length = 0;
    await expect(NativeConnection.connect(temporalConnectionOptions(settings()))).rejects.toThrow();
    expect(recorder.seen.length).toBeGreaterThan(0);
    expect(recorder.seen[0]!.headers.authorization).toBe('Bearer cloud-api-key-123');
    expect(recorder.seen[0]!.clientCertificateSubject).toBe('approval-engine');
  });

  it('refuses a server whose certificate the configured CA did not sign', async () => {
    const stranger = await makeCertificates();
    try {
      recorder.seen.length = 0;
      const options = temporalConnectionOptions({ ...settings(), TEMPORAL_TLS_CA: stranger.files.ca });
      await expect(Connection.connect({ ...options, connectTimeout: 3_000 })).rejects.toThrow();
      expect(recorder.seen).toEqual([]);
    } finally {
      stranger.remove();
    }
  });
});
