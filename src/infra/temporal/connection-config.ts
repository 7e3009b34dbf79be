import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';

/**
 * How the API and the worker reach Temporal beyond its address: TLS with a private CA, mTLS with a
 * client certificate, and/or an API key (Temporal Cloud). See docs/operations.md.
 */
export interface TemporalConnectionSettings {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_API_KEY?: string | undefined;
  TEMPORAL_TLS_CA?: string | undefined;
  TEMPORAL_TLS_CERT?: string | undefined;
  TEMPORAL_TLS_KEY?: string | undefined;
  TEMPORAL_TLS_SERVER_NAME?: string | undefined;
}

/** What both `Connection.connect` (client) and `NativeConnection.connect` (worker) accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

const readable = (what: 'certificate' | 'private key') =>
  z.string().superRefine((file, ctx) => {
    let contents: Buffer;
    try {
      contents = readFileSync(file);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` });
      return;
    }
    try {
      if (what === 'certificate') new X509Certificate(contents);
      else createPrivateKey(contents);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${file} does not hold a PEM ${what}` });
    }
  });

/** The fields of the configuration schema (src/infra/config.ts), validated at start like the rest. */
export const temporalConnectionFields = {
  TEMPORAL_API_KEY: z
    .string()
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent as a bearer token)')
    .optional(),
  TEMPORAL_TLS_CA: readable('certificate').optional(),
  TEMPORAL_TLS_CERT: readable('certificate').optional(),
  TEMPORAL_TLS_KEY: readable('private key').optional(),
  TEMPORAL_TLS_SERVER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'must be a host name')
    .optional(),
};

/** Cross-field rules: a client certificate comes with its key, and the two belong together. */
export const checkTemporalConnection = (settings: TemporalConnectionSettings, ctx: z.RefinementCtx): void => {
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key } = settings;
  if ((cert === undefined) !== (key === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [cert === undefined ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'],
      message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together',
    });
    return;
  }
  if (cert === undefined || key === undefined) return;
  try {
    if (!new X509Certificate(readFileSync(cert)).checkPrivateKey(createPrivateKey(readFileSync(key)))) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS_KEY'], message: `is not the private key of the certificate in ${cert}` });
    }
  } catch {
    // Unreadable or malformed files are already reported on their own variable.
  }
};

export const usesTls = (settings: TemporalConnectionSettings): boolean =>
  [settings.TEMPORAL_TLS_CA, settings.TEMPORAL_TLS_CERT, settings.TEMPORAL_TLS_SERVER_NAME, settings.TEMPORAL_API_KEY].some(
    (value) => value !== undefined,
  );

/**
 * Connection options for the client and the worker. Any TLS setting turns TLS on; an API key alone
 * means TLS against the system's trusted CAs (Temporal Cloud), as the SDK does.
 */
export const temporalConnectionOptions = (settings: TemporalConnectionSettings): TemporalConnectionOptions => {
  const options: TemporalConnectionOptions = { address: settings.TEMPORAL_ADDRESS };
  if (settings.TEMPORAL_API_KEY !== undefined) options.apiKey = settings.TEMPORAL_API_KEY;
  if (!usesTls(settings)) return options;
  const tls: TLSConfig = {};
  if (settings.TEMPORAL_TLS_CA) tls.serverRootCACertificate = readFileSync(settings.TEMPORAL_TLS_CA);
  if (settings.TEMPORAL_TLS_CERT && settings.TEMPORAL_TLS_KEY) {
    tls.clientCertPair = { crt: readFileSync(settings.TEMPORAL_TLS_CERT), key: readFileSync(settings.TEMPORAL_TLS_KEY) };
  }
  if (settings.TEMPORAL_TLS_SERVER_NAME) tls.serverNameOverride = settings.TEMPORAL_TLS_SERVER_NAME;
  options.tls = tls;
  return options;
};

/** For logs: how the connection is secured, never a secret. */
export const describeTemporalConnection = (settings: TemporalConnectionSettings): string => {
  const parts = [settings.TEMPORAL_ADDRESS];
  if (settings.TEMPORAL_TLS_CERT) parts.push('mTLS');
  else if (usesTls(settings)) parts.push('TLS');
  if (settings.TEMPORAL_API_KEY) parts.push('API key');
  return parts.join(', ');
};
