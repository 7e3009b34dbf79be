import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/infra/logger';
import { TEMPORAL_UNREACHABLE, type Readiness } from '../../../src/infra/temporal/readiness';
import { bodyOf, inMemoryApi, inMemoryWorkspaces } from '../../support/in-memory-api';

/* The probes outside the contract, without credentials (docs/operations.md; docs/behaviour.md, "Errors"). */

const workspaces = await inMemoryWorkspaces();

const probing = (readiness: Readiness) => {
  const warn = vi.fn();
  const api = inMemoryApi({
    workspaces,
    logger: { warn, error: vi.fn() } as unknown as Logger,
    checkReadiness: () => Promise.resolve(readiness),
  });
  return { get: (path: string) => api.app.request(path), warn };
};

describe('health probes', () => {
  it('/healthz answers ok without credentials', async () => {
    const response = await probing({ temporal: false, workerPolling: false }).get('/healthz');
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 when Temporal answers and a worker polls', async () => {
    const response = await probing({ temporal: true, workerPolling: true }).get('/readyz');
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({ status: 'ready', temporal: true, workerPolling: true });
  });

  it('/readyz is 503 without a worker', async () => {
    const response = await probing({ temporal: true, workerPolling: false, detail: 'no worker polls the task queue' }).get('/readyz');
    expect(response.status).toBe(503);
    expect(await bodyOf(response)).toEqual({
      status: 'not-ready',
      temporal: true,
      workerPolling: false,
      detail: 'no worker polls the task queue',
    });
  });

  it("/readyz never shows Temporal's own error, and logs it once per failure, not once per probe", async () => {
    const cause = 'connect ECONNREFUSED 10.0.0.7:7233 (tls: client certificate /etc/approval/client.pem)';
    const probe = probing({ temporal: false, workerPolling: false, detail: TEMPORAL_UNREACHABLE, cause });
    for (let i = 0; i < 3; i += 1) {
      const response = await probe.get('/readyz');
      expect(response.status).toBe(503);
      expect(await bodyOf(response)).toEqual({ status: 'not-ready', temporal: false, workerPolling: false, detail: TEMPORAL_UNREACHABLE });
    }
    expect(probe.warn).toHaveBeenCalledTimes(1);
    expect(probe.warn).toHaveBeenCalledWith({ cause }, `not ready: ${TEMPORAL_UNREACHABLE}`);
  });
});
