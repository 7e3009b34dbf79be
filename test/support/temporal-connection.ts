import { inject } from 'vitest';
import {
  temporalConnectionOptions,
  type TemporalConnectionOptions,
  type TemporalConnectionSettings,
} from '../../src/infra/temporal/connection-config';

/** `npm run test:cluster`: the suite runs against a real cluster, with engine processes (test/support/cluster-global-setup.ts). */
export const isClusterMode = (): boolean => inject('clusterMode') === true;

/** The server the run's global setup started: the dev server, or the cluster's mTLS frontend. */
export const testTemporalSettings = (): TemporalConnectionSettings => ({
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  ...(inject('clusterTls') ?? {}),
});

export const testConnectionOptions = (): TemporalConnectionOptions => temporalConnectionOptions(testTemporalSettings());
