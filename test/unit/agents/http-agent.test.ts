import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runHttpAgent, MAX_RESPONSE_BYTES } from '../../../activities/http-agent';
import type { AgentRunResult, RunAgentInput } from '../../../activities/agent-types';
import type { RegisteredAgent } from '../../../src/infra/auth/workspace-registry';
import { signBody, verifyStandardWebhook } from '../../../src/infra/request-signing';

const SECRET = 'agent-secret-0123456789';

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}
interface AgentServer {
  port: number;
  received: Received[];
  /** Resolves once the server saw its answer's connection close. */
  answerClosed: Promise<void>;
  close: () => Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const startAgent = async (answer: (res: ServerResponse) => void): Promise<AgentServer> => {
  const received: Received[] = [];
  let closed: () => void = () => undefined;
  const answerClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.on('close', closed);
      answer(res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, received, answerClosed, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

const json = (body: unknown) => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const input: RunAgentInput = {
  workspaceId: 'ws_1',
  executionId: 'exec_1_abcdefgh',
  stepId: 'step_draft_1_abcdef',
  agentId: 'copy-agent-v1',
  url: null,
  promptOverride: null,
  input: { tone: 'warm' },
};

const call = async (agent: RegisteredAgent, allowPrivateTargets = false) => {
  const logs: LogEntry[] = [];
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN', (entry) => logs.push(entry)) });
  try {
    const result: AgentRunResult = await env.run(runHttpAgent, agent, input, { allowPrivateTargets });
    return { result, error: undefined, logs };
  } catch (error) {
    return { result: undefined, error: error as ApplicationFailure, logs };
  }
};

const agentAt = (url: string, extra: Partial<RegisteredAgent> = {}): RegisteredAgent => ({
  agentId: 'copy-agent-v1',
  url,
  secret: SECRET,
  ...extra,
});

describe('HTTP agents: the webhooks outbound rules', () => {
  it.each([
    ['plain http to loopback', 'http://127.0.0.1:PORT/run', 'agent copy-agent-v1 url must use https scheme'],
    [
      'https to a loopback literal',
      'https://127.0.0.1:PORT/run',
      'agent copy-agent-v1 url host resolves to a private, loopback, or link-local address',
    ],
    ['localhost', 'https://localhost:PORT/run', 'agent copy-agent-v1 url host resolves to a private, loopback, or link-local address'],
    [
      'cloud metadata',
      'https://169.254.169.254/latest/meta-data',
      'agent copy-agent-v1 url host resolves to a private, loopback, or link-local address',
    ],
    [
      'local-use NAT64',
      'https://[64:ff9b:1::a9fe:a9fe]/',
      'agent copy-agent-v1 url host resolves to a private, loopback, or link-local address',
    ],
  ])('refuses %s at once (nothing sent, not retried)', async (_name, template, message) => {
    const agent = await startAgent(json({ status: 'passed' }));
    const { error } = await call(agentAt(template.replace('PORT', String(agent.port))));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error?.message).toContain(message);
    expect(error?.nonRetryable).toBe(true);
    expect(error?.type).toBe('agent-failed');
    expect(agent.received).toHaveLength(0);
  });

  it('calls an agent the operator marked internal, on a private address over http', async () => {
    const agent = await startAgent(json({ status: 'passed', output: { ok: 1 } }));
    const { result } = await call(agentAt(`http://127.0.0.1:${agent.port}/run`, { internal: true }));
    expect(result).toEqual({ status: 'passed', summary: null, output: { ok: 1 }, responseIds: [] });
    expect(agent.received).toHaveLength(1);
  });

  it('calls any agent when WEBHOOK_ALLOW_PRIVATE_TARGETS lifts the rules', async () => {
    const agent = await startAgent(json({ status: 'failed' }));
    const { result } = await call(agentAt(`http://127.0.0.1:${agent.port}/run`), true);
    expect(result?.status).toBe('failed');
  });

  it('says only that an agent could not be reached, whatever the cause; the cause goes to the worker log', async () => {
    const gone = await startAgent(json({}));
    await gone.close();
    const { error, logs } = await call(agentAt(`http://127.0.0.1:${gone.port}/run`, { internal: true }));
    expect(error?.message).toBe('agent copy-agent-v1 could not be reached or did not answer');
    expect(error?.nonRetryable).toBe(false);
    const logged = logs.filter((entry) => entry.message === 'HTTP agent call failed');
    expect(logged.map((entry) => entry.meta?.detail)).toEqual([expect.stringContaining('ECONNREFUSED')]);
  });
});

describe('HTTP agents: signed requests', () => {
  it('sends x-velt-signature over the body and the Standard Webhooks headers keyed with the agent secret', async () => {
    const agent = await startAgent(json({ status: 'passed' }));
    await call(agentAt(`http://127.0.0.1:${agent.port}/run`, { internal: true }));
    const [request] = agent.received as [Received];
    expect(request.headers['x-velt-signature']).toBe(signBody(SECRET, request.raw));
    expect(request.headers['webhook-id']).toBe(`agent_${input.executionId}_${input.stepId}`);
    const standard = {
      id: request.headers['webhook-id'] as string,
      timestamp: request.headers['webhook-timestamp'] as string,
      signature: request.headers['webhook-signature'] as string,
    };
    expect(verifyStandardWebhook([SECRET], standard, request.raw, Number(standard.timestamp))).toBe(true);
    expect(verifyStandardWebhook(['another-agent-secret-0'], standard, request.raw, Number(standard.timestamp))).toBe(false);
  });
});

describe('HTTP agents: the answer is read with a byte cap', () => {
  it('stops reading an endless answer once it passes 1 MiB and drops the connection', async () => {
    const agent = await startAgent((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 32);
      res.write('{"status":"passed","summary":"');
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const { error } = await call(agentAt(`http://127.0.0.1:${agent.port}/run`, { internal: true }));
    expect(error?.message).toBe('agent copy-agent-v1 answered more than 1 MiB');
    expect(error?.nonRetryable).toBe(true);
    await agent.answerClosed;
  });

  it('refuses an answer whose content-length says it is too large without reading it', async () => {
    const agent = await startAgent((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_RESPONSE_BYTES + 1) });
      res.write('{');
    });
    const { error } = await call(agentAt(`http://127.0.0.1:${agent.port}/run`, { internal: true }));
    expect(error?.message).toBe('agent copy-agent-v1 answered more than 1 MiB');
    await agent.answerClosed;
  });

  const answerOf = (text: string) => JSON.stringify({ status: 'passed', summary: text });
  const overhead = Buffer.byteLength(answerOf(''));

  it('counts bytes, not UTF-16 units: 3-byte characters over 1 MiB are refused though fewer than 1 Mi characters', async () => {
    const text = '€'.repeat(Math.ceil((MAX_RESPONSE_BYTES - overhead) / 3) + 1);
    expect(answerOf(text).length).toBeLessThan(MAX_RESPONSE_BYTES);
    expect(Buffer.byteLength(answerOf(text))).toBeGreaterThan(MAX_RESPONSE_BYTES);
    const agent = await startAgent((res) => void res.writeHead(200).end(answerOf(text)));
    const { error } = await call(agentAt(`http://127.0.0.1:${agent.port}/run`, { internal: true }));
    expect(error?.message).toBe('agent copy-agent-v1 answered more than 1 MiB');
  });

  it('accepts an answer of exactly 1 MiB', async () => {
    const text = 'a'.repeat(MAX_RESPONSE_BYTES - overhead);
    expect(Buffer.byteLength(answerOf(text))).toBe(MAX_RESPONSE_BYTES);
    const agent = await startAgent((res) => void res.writeHead(200).end(answerOf(text)));
    const { result } = await call(agentAt(`http://127.0.0.1:${agent.port}/run`, { internal: true }));
    expect(result?.summary).toBe(text);
  });
});
