import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallWebhookNode, type WebhookNodeDeps } from '../../../activities/webhook-node';
import type { CallWebhookNodeInput, WebhookCallReport } from '../../../activities/webhook-node-types';
import { SecretBox } from '../../../src/infra/secrets/secret-box';
import { verifyCallbackToken } from '../../../src/infra/webhook-callback-token';

/* The callWebhookNode activity against a real loopback server (docs/inbound.md, "Webhook nodes"). */

const KEY = Buffer.alloc(32, 3).toString('base64');
const box = new SecretBox(KEY);
const RUN_SECRET = 'whsec_run_0123456789abcdef';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

interface Seen {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const serve = async (status: number, body = ''): Promise<{ port: number; seen: Seen[] }> => {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status, { 'content-type': 'application/json', 'set-cookie': 'session=1' });
      res.end(body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, seen };
};

const inputFor = (
  url: string,
  call: Partial<CallWebhookNodeInput['call']> = {},
  sealedSecret: string | null = box.seal(RUN_SECRET),
): CallWebhookNodeInput => ({
  workspaceId: 'ws_1',
  sealedSecret,
  call: {
    stepId: 'step_call_1_abcdef',
    nodeId: 'call',
    url,
    mode: 'sync',
    method: 'POST',
    authMode: 'hmac',
    authTokenHeader: null,
    authToken: null,
    timeoutMs: 5000,
    expectedStatusCodes: [],
    bodyTemplate: 'envelope',
    requestHeaders: {},
    payload: {
      executionId: 'exec_1_abcdefgh',
      definitionId: 'def-1',
      stepId: 'step_call_1_abcdef',
      nodeId: 'call',
      correlationId: 'corr_1',
      triggerContext: {},
      input: { text: 'hi' },
    },
    ...call,
  },
});

const deps = (extra: Partial<WebhookNodeDeps> = {}): WebhookNodeDeps => ({
  secretBox: box,
  secretsKey: KEY,
  allowPrivateTargets: true,
  publicUrl: 'https://engine.example.com',
  ...extra,
});

const attempt = async (
  input: CallWebhookNodeInput,
  withDeps: WebhookNodeDeps,
): Promise<{ report: WebhookCallReport | undefined; error: ApplicationFailure | undefined }> => {
  const env = new MockActivityEnvironment();
  try {
    const report: WebhookCallReport = await env.run(createCallWebhookNode(withDeps), input);
    return { report, error: undefined };
  } catch (error) {
    return { report: undefined, error: error as ApplicationFailure };
  }
};

describe('the callWebhookNode activity', () => {
  it('checks the URL before calling: a host that resolves to a private address is refused, final, and nothing is sent', async () => {
    const { port, seen } = await serve(200);
    const lookup = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const { error } = await attempt(inputFor(`https://hooks.example.com:${port}/x`), deps({ allowPrivateTargets: false, lookup }));
    expect(error).toMatchObject({ type: 'webhook-node-url-refused', nonRetryable: true });
    expect(error?.message).toBe('webhook node call url host resolves to a private, loopback, or link-local address');
    expect(seen).toHaveLength(0);
  });

  it('keeps only allowlisted answer headers, and classifies 4xx as final and 5xx as retryable', async () => {
    const okServer = await serve(200, '{"a":1}');
    const { report } = await attempt(inputFor(`http://127.0.0.1:${okServer.port}/`), deps());
    expect(report).toMatchObject({ httpStatus: 200, responseJson: { a: 1 }, responseText: '{"a":1}', attempt: 1 });
    expect(report?.responseHeaders).toHaveProperty('content-type');
    expect(report?.responseHeaders).not.toHaveProperty('set-cookie');

    const gone = await serve(410);
    expect((await attempt(inputFor(`http://127.0.0.1:${gone.port}/`), deps())).error).toMatchObject({
      type: 'webhook-node-http-status',
      nonRetryable: true,
    });
    const down = await serve(502);
    expect((await attempt(inputFor(`http://127.0.0.1:${down.port}/`), deps())).error).toMatchObject({
      type: 'webhook-node-http-status',
      nonRetryable: false,
    });
    const listed = await serve(410);
    expect((await attempt(inputFor(`http://127.0.0.1:${listed.port}/`, { expectedStatusCodes: [410] }), deps())).report?.httpStatus).toBe(
      410,
    );
  });

  it('GET sends no body; token mode sends the token in its header; requestHeaders ride along', async () => {
    const { port, seen } = await serve(204);
    const input = inputFor(`http://127.0.0.1:${port}/`, {
      method: 'GET',
      bodyTemplate: 'none',
      authMode: 'token',
      authTokenHeader: 'x-api-key',
      authToken: 'tok-1',
      requestHeaders: { 'x-tenant': 'acme' },
    });
    await attempt(input, deps());
    expect(seen[0]).toMatchObject({ method: 'GET', body: '' });
    expect(seen[0]?.headers).toMatchObject({ 'x-api-key': 'tok-1', 'x-tenant': 'acme' });
    expect(seen[0]?.headers['x-velt-signature']).toBeUndefined();
  });

  it('an async call carries a callback token that verifies for this step under the run secret, or the engine key without one', async () => {
    const { port, seen } = await serve(202);
    await attempt(inputFor(`http://127.0.0.1:${port}/`, { mode: 'async' }), deps());
    const withSecret = JSON.parse(seen[0]!.body) as { callback: { url: string; token: string } };
    expect(withSecret.callback.url).toBe(
      'https://engine.example.com/v2/workflow/webhook-inbound/callback/exec_1_abcdefgh/step_call_1_abcdef?ws=ws_1',
    );
    expect(
      verifyCallbackToken({ kind: 'run-secret', secret: RUN_SECRET }, 'exec_1_abcdefgh', 'step_call_1_abcdef', withSecret.callback.token),
    ).toBe(true);
    expect(
      verifyCallbackToken({ kind: 'run-secret', secret: RUN_SECRET }, 'exec_1_abcdefgh', 'step_other', withSecret.callback.token),
    ).toBe(false);

    await attempt(inputFor(`http://127.0.0.1:${port}/`, { mode: 'async', authMode: 'none' }, null), deps());
    const withoutSecret = JSON.parse(seen[1]!.body) as { callback: { token: string } };
    expect(
      verifyCallbackToken({ kind: 'engine-key', base64Key: KEY }, 'exec_1_abcdefgh', 'step_call_1_abcdef', withoutSecret.callback.token),
    ).toBe(true);
    expect(
      verifyCallbackToken(
        { kind: 'run-secret', secret: RUN_SECRET },
        'exec_1_abcdefgh',
        'step_call_1_abcdef',
        withoutSecret.callback.token,
      ),
    ).toBe(false);
  });
});
