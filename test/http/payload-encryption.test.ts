import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { createApp } from '../../api/app';
import { createEngineServices } from '../../api/services';
import { WorkspaceRegistry } from '../../src/infra/auth/workspace-registry';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../src/infra/payload-codec/aes-gcm-codec';
import { human, mockAgent, reviewersOf } from '../fixtures/execution-definitions';
import { ok, stepOf, waitForStep } from '../support/rest-api';
import { startEngine, type RunningEngine } from '../support/engine';
import { listen } from '../support/http';
import { silentLogger } from '../support/silent-logger';
import { ensureTemporalCli } from '../../src/infra/tools';
import { testConnectionOptions, testTemporalSettings } from '../support/temporal-connection';

const { History } = proto.temporal.api.history.v1;
const run = promisify(execFile);

const CURRENT = { id: 'key-2026-05', key: randomBytes(32) };
const PREVIOUS = { id: 'key-2025-11', key: randomBytes(32) };
const OPERATOR_TOKEN = randomBytes(24).toString('base64url');
const UI_ORIGIN = 'http://127.0.0.1:8233';
const CONTEXT_MARKER = `ctx-${randomBytes(6).toString('hex')}`;
const OUTPUT_MARKER = `out-${randomBytes(6).toString('hex')}`;

const encryptedDefinition = {
  definitionId: 'sealed-review',
  name: 'Draft then review, with sensitive data',
  nodes: [
    mockAgent('agent-draft', { output: { summary: OUTPUT_MARKER } }),
    human('human-review', [reviewersOf.mandatory('u_editor')], { routeToNodeId: 'agent-rework' }),
    mockAgent('agent-rework'),
  ],
  // The review is reached only if the worker read the trigger context back: it decodes what the API sealed.
  edges: [
    {
      from: 'agent-draft',
      to: 'human-review',
      when: JSON.stringify({ op: 'eq', args: [{ var: 'execution.input.note' }, CONTEXT_MARKER] }),
    },
  ],
};

/** Temporal's Payloads message as proto3 JSON: what the Web UI sends to a codec endpoint. */
const asJson = (payloads: Payload[]) => ({
  payloads: payloads.map((payload) => ({
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  })),
});
const metadataText = (json: { metadata: Record<string, string> }, name: string) =>
  Buffer.from(json.metadata[name] ?? '', 'base64').toString();

let engine: RunningEngine;
let rawConnection: Connection;
let executionId: string;

beforeAll(async () => {
  engine = await startEngine({
    payloadKeys: `${CURRENT.id}:${CURRENT.key.toString('base64')},${PREVIOUS.id}:${PREVIOUS.key.toString('base64')}`,
    operatorToken: OPERATOR_TOKEN,
    codecCorsOrigins: [UI_ORIGIN],
  });
  rawConnection = await Connection.connect(testConnectionOptions());
  ok(await engine.admin.post('definitions/create', encryptedDefinition));
  executionId = ok<{ executionId: string }>(
    await engine.admin.post('executions/dispatch', { definitionId: 'sealed-review', triggerContext: { note: CONTEXT_MARKER } }),
  ).executionId;
  await waitForStep(engine.admin, executionId, 'human-review', 'waiting');
});
afterAll(async () => {
  await rawConnection?.close();
  await engine?.close();
});

const workflowIdOf = (id: string): string => `approval-exec/${engine.workspaceIdA}/${id}`;

/** The run's history exactly as Temporal stores it and serves it to the Web UI: no codec. */
const rawHistory = async () => {
  return new Client({ connection: rawConnection }).workflow.getHandle(workflowIdOf(executionId)).fetchHistory();
};

describe('payload encryption (APPROVAL_PAYLOAD_KEYS)', () => {
  it('keeps trigger context and agent output out of the stored history', async () => {
    const history = await rawHistory();
    const bytes = Buffer.from(History.encode(history).finish());
    expect(bytes.includes(CONTEXT_MARKER)).toBe(false);
    expect(bytes.includes(OUTPUT_MARKER)).toBe(false);
    const [input] = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    expect(Buffer.from(input!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(input!.metadata![KEY_ID_METADATA]!).toString()).toBe(CURRENT.id);
  });

  it('still runs and reads in clear: the worker decodes the trigger context, the API the agent output', async () => {
    const view = ok(await engine.admin.post('executions/get', { executionId }));
    expect(stepOf(view, 'human-review').status).toBe('waiting');
    expect(stepOf(view, 'agent-draft').output).toMatchObject({ summary: OUTPUT_MARKER });
  });
});

describe('the codec endpoint for the Temporal Web UI (POST /codec/decode)', () => {
  const decode = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${OPERATOR_TOKEN}` }) =>
    fetch(`${engine.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: JSON.stringify(body),
    });

  it('decodes the history payloads the Web UI sends, with the operator token', async () => {
    const history = await rawHistory();
    const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const response = await decode(asJson(payloads));
    expect(response.status).toBe(200);
    const [decoded] = ((await response.json()) as ReturnType<typeof asJson>).payloads;
    expect(metadataText(decoded!, 'encoding')).toBe('json/plain');
    expect(Buffer.from(decoded!.data, 'base64').toString()).toContain(CONTEXT_MARKER);
  });

  it('opens payloads sealed with a previous key still listed (rotation), and encodes with the current one', async () => {
    const [old] = await new AesGcmPayloadCodec([PREVIOUS]).encode([defaultPayloadConverter.toPayload({ rotated: true })]);
    const decoded = ((await (await decode(asJson([old!]))).json()) as ReturnType<typeof asJson>).payloads[0]!;
    expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString())).toEqual({ rotated: true });
    const encoded = await fetch(`${engine.baseUrl}/codec/encode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR_TOKEN}` },
      body: JSON.stringify(asJson([defaultPayloadConverter.toPayload({ fresh: true })])),
    });
    const sealed = ((await encoded.json()) as ReturnType<typeof asJson>).payloads[0]!;
    expect(metadataText(sealed, KEY_ID_METADATA)).toBe(CURRENT.id);
  });

  it('accepts the token as a Basic password (a browser that asked for it), and refuses anything else with 401', async () => {
    const basic = (password: string) => `Basic ${Buffer.from(`operator:${password}`).toString('base64')}`;
    expect((await decode({ payloads: [] }, { authorization: basic(OPERATOR_TOKEN) })).status).toBe(200);
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: basic('wrong-token') }] as Array<
      Record<string, string>
    >) {
      const response = await decode({ payloads: [] }, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(await response.json()).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
    }
  });

  it('answers the Web UI origin preflight, and no other origin', async () => {
    const preflight = (origin: string) =>
      fetch(`${engine.baseUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/x-namespace/);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says which payload it cannot open, and which field of a malformed body is wrong', async () => {
    const [stranger] = await new AesGcmPayloadCodec([{ id: 'unknown-key', key: randomBytes(32) }]).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    const unknown = await decode(asJson([stranger!]));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: { status: 'FAILED_PRECONDITION', message: 'payload sealed with key id "unknown-key", which is not in APPROVAL_PAYLOAD_KEYS' },
    });
    const malformed = await decode({ payloads: [{ data: 'not base64!' }] });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { status: 'INVALID_ARGUMENT', message: 'body.payloads.0.data: must be base64' },
    });
  });

  it('lets the temporal CLI show the history in clear through it, with the same connection variables as the engine', async () => {
    const cli = await ensureTemporalCli(() => undefined);
    if (cli.kind !== 'path') return; // Only `npm run test:cluster` on a machine that never built the CLI.
    const env = { ...process.env, ...testTemporalSettings() };
    // The CLI prints payloads as Temporal's JSON (base64 data); this reads every payload's data as text.
    const show = async (codec: string[]): Promise<{ encodings: string[]; data: string }> => {
      const args = ['workflow', 'show', '--workflow-id', workflowIdOf(executionId), '--output', 'json', ...codec];
      const payloads: Array<{ metadata: { encoding?: string }; data?: string }> = [];
      JSON.parse((await run(cli.path, args, { env })).stdout, (key, value: unknown) => {
        if (key === 'payloads' && Array.isArray(value)) payloads.push(...(value as typeof payloads));
        return value;
      });
      const text = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString();
      // A patch marker records only the patch's name (`patched()`), written by the SDK without the codec.
      const isPatchMarker = (payload: (typeof payloads)[number]): boolean =>
        /^\{"id":"[a-z0-9-]+","deprecated":(true|false)\}$/.test(text(payload.data));
      const userPayloads = payloads.filter((payload) => !isPatchMarker(payload));
      return {
        encodings: userPayloads.map((payload) => text(payload.metadata.encoding)),
        data: userPayloads.map((payload) => text(payload.data)).join('\n'),
      };
    };
    const sealed = await show([]);
    expect(new Set(sealed.encodings)).toEqual(new Set([ENCRYPTED_ENCODING]));
    expect(sealed.data).not.toContain(CONTEXT_MARKER);
    const opened = await show(['--codec-endpoint', `${engine.baseUrl}/codec`, '--codec-auth', `Bearer ${OPERATOR_TOKEN}`]);
    expect(opened.encodings).not.toContain(ENCRYPTED_ENCODING);
    expect(opened.data).toContain(CONTEXT_MARKER);
    expect(opened.data).toContain(OUTPUT_MARKER);
  });

  it('is not served when no operator token is configured', async () => {
    const api = await listen(
      createApp({
        logger: silentLogger,
        registry: new WorkspaceRegistry([]),
        services: createEngineServices(new Client({ connection: rawConnection }), 'unused', {
          secretsKey: undefined,
          allowPrivateWebhookTargets: false,
        }),
        checkReadiness: () => Promise.resolve({ temporal: true, workerPolling: true }),
      }),
    );
    try {
      const response = await fetch(`${api.baseUrl}/codec/decode`, { method: 'POST', body: '{"payloads":[]}' });
      expect(response.status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
