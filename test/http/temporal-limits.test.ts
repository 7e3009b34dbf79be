import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createEngineServices } from '../../api/services';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { parseWorkspacesFile, sha256Hex, WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { ensureTemporalCli } from '../../src/infra/tools';
import { mockAgent } from '../fixtures/execution-definitions';
import { createDefinition, dispatch, expectError, freshId, waitForStatus } from '../support/rest-api';
import { callerFor, startEngine, TEST_SECRETS_KEY, type RunningEngine } from '../support/engine';
import { listen, type RunningApi } from '../support/http';
import { silentLogger } from '../support/silent-logger';

/**
 * Temporal's own limits reach clients as the documented envelope (docs/behaviour.md, "Limits").
 * Each part runs its own dev server with one limit lowered, so the real server produces the error.
 */

const devServer = async (dynamicConfig: string[]): Promise<TestWorkflowEnvironment> => {
  const cli = await ensureTemporalCli(() => undefined);
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.kind === 'path' ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      ip: '127.0.0.1',
      ui: false,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
      extraArgs: dynamicConfig.flatMap((value) => ['--dynamic-config-value', value]),
    },
  });
};

const gatedPair = (definitionId: string) => ({
  definitionId,
  name: 'Pair',
  nodes: [mockAgent('a'), mockAgent('b')],
  edges: [{ from: 'a', to: 'b' }],
});

describe("a dispatch over Temporal's blob size limit", () => {
  const BLOB_LIMIT = 256 * 1024;
  let env: TestWorkflowEnvironment;
  let engine: RunningEngine;
  const definitionId = freshId('blob');

  beforeAll(async () => {
    env = await devServer([`limit.blobSize.error=${BLOB_LIMIT}`, `limit.blobSize.warn=${BLOB_LIMIT / 2}`]);
    engine = await startEngine({ address: env.address });
    await createDefinition(engine.admin, gatedPair(definitionId));
  });
  afterAll(async () => {
    await engine?.close();
    await env?.teardown();
  });

  // Under the engine's own 256 KiB trigger-context limit (it counts characters), but 3 bytes each in UTF-8.
  const overBlob = { text: '€'.repeat(100_000) };

  it.each([
    ['without an idempotency key', {}],
    ['with an idempotency key (the claim workflow)', { idempotencyKey: 'blob-over-limit' }],
  ])('is INVALID_ARGUMENT naming the limit, %s', async (_name, extra) => {
    const response = await engine.admin.post('executions/dispatch', { definitionId, triggerContext: overBlob, ...extra });
    const error = expectError(response, 'INVALID_ARGUMENT', 400);
    expect(error.message).toBe(
      "the request is larger than Temporal accepts in one payload (Blob data size exceeds limit: Temporal's limit.blobSize.error, 2 MiB by default); send less data",
    );
  });

  it('while a dispatch under it runs to the end', async () => {
    const { executionId } = await dispatch(engine.admin, { definitionId, triggerContext: { text: 'e'.repeat(100_000) } });
    expect((await waitForStatus(engine.admin, executionId, 'completed')).steps.map((step) => step.nodeId)).toEqual(['a', 'b']);
  });
});

describe('RESOURCE_EXHAUSTED from Temporal', () => {
  let env: TestWorkflowEnvironment;
  let connection: Connection;
  let api: RunningApi;

  beforeAll(async () => {
    env = await devServer(['frontend.namespaceRPS=1', 'frontend.namespaceBurstRatio=1']);
    // No gRPC retries: the SDK would otherwise back off and retry RESOURCE_EXHAUSTED for a minute first.
    connection = await Connection.connect({ address: env.address, interceptors: [] });
    const registry = new WorkspaceRegistry(
      parseWorkspacesFile(
        JSON.stringify([
          { apiKey: 'key-limits', authTokens: [{ sha256: sha256Hex('token-limits-0123456789abcdef0123456'), role: 'admin' }] },
        ]),
        'test',
      ),
    );
    const app = createApp({
      logger: silentLogger,
      registry,
      services: createEngineServices(new Client({ connection }), 'no-worker', {
        secretsKey: TEST_SECRETS_KEY,
        allowPrivateWebhookTargets: true,
      }),
      checkReadiness: () => Promise.resolve({ temporal: true, workerPolling: false }),
    });
    api = await listen(app);
  });
  afterAll(async () => {
    await api?.close();
    await connection?.close();
    await env?.teardown();
  });

  it('is the RESOURCE_EXHAUSTED envelope (429) naming the limit, never INTERNAL', async () => {
    const caller = callerFor(api.baseUrl, { apiKey: 'key-limits', authToken: 'token-limits-0123456789abcdef0123456' });
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => caller.post('definitions/get', { definitionId: `missing-${i}` })),
    );
    const statuses = new Set(responses.map((response) => response.status));
    expect(
      [...statuses].every((status) => status === 404 || status === 429),
      JSON.stringify([...statuses]),
    ).toBe(true);
    const refused = responses.filter((response) => response.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.body).toEqual({
      error: {
        status: 'RESOURCE_EXHAUSTED',
        message: 'Temporal refused the request because a server limit was reached (namespace rate limit exceeded); retry later',
      },
    });
  });
});
