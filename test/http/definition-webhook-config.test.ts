import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, useEngine } from '../support/engine';
import { startReceiver, type Received, type TestReceiver } from '../support/receiver';
import { allEvents, createDefinition, dispatch, freshId, ok, waitForTerminal } from '../support/rest-api';

/* A definition's own webhookConfig (docs/inbound.md, "Definition webhookConfig"). */

const CONFIG_SECRET = 'whsec_config_0123456789abcdef';
const DISPATCH_SECRET = 'whsec_dispatch_0123456789abcd';
const engine = useEngine();
const api = engine.admin;
let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver(() => 204);
});
afterAll(async () => {
  await receiver?.close();
});

interface Delivery {
  path: string;
  body: { event: string; executionId: string };
  verifiedWith: string | null;
}

const deliveries = (): Delivery[] =>
  receiver.received.map((entry: Received) => {
    const signature = String(entry.headers['x-velt-signature'] ?? '');
    const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(entry.rawBody).digest('hex')}`;
    const verifiedWith = signature === sign(CONFIG_SECRET) ? 'config' : signature === sign(DISPATCH_SECRET) ? 'dispatch' : null;
    return { path: String(entry.headers['x-path'] ?? ''), body: JSON.parse(entry.rawBody), verifiedWith };
  });

const ofRun = (executionId: string) => deliveries().filter((delivery) => delivery.body.executionId === executionId);

const definition = (definitionId: string, url: string) => ({
  definitionId,
  name: 'Hooked by its definition',
  nodes: [
    { nodeId: 'draft', type: 'agent', config: { agentId: '__mock__' } },
    { nodeId: 'publish', type: 'agent', config: { agentId: '__mock__' } },
  ],
  edges: [{ from: 'draft', to: 'publish' }],
  webhookConfig: { url, secret: CONFIG_SECRET, eventTypes: ['step.completed', 'execution.completed'] },
});

describe('definition webhookConfig', () => {
  const definitionId = freshId('cfg');
  const configUrl = () => `${receiver.url}definition-target`;

  it('is write-only: no view shows it or its secret', async () => {
    const created = await createDefinition(api, definition(definitionId, configUrl()));
    const got = ok(await api.post('definitions/get', { definitionId }));
    const listed = ok(await api.post('definitions/list', { pageSize: 50 }));
    const listedView = listed.items.find((item: { definitionId: string }) => item.definitionId === definitionId);
    for (const view of [created, got, listedView]) {
      expect(view).toBeDefined();
      expect(view).not.toHaveProperty('webhookConfig');
      const text = JSON.stringify(view);
      expect(text).not.toContain(CONFIG_SECRET);
      expect(text).not.toContain('definition-target');
    }
  });

  it('delivers only its eventTypes, signed with its secret, to every run dispatched without a target', async () => {
    const { executionId } = await dispatch(api, { definitionId });
    await waitForTerminal(api, executionId);
    const external = await allEvents(api, executionId);
    const wanted = external.filter((event) => event.type === 'step.completed' || event.type === 'execution.completed');
    expect(external.length).toBeGreaterThan(wanted.length);
    const arrived = await eventually(
      () => Promise.resolve(ofRun(executionId)),
      (found) => found.length >= wanted.length,
      20_000,
    );
    expect(arrived.map((delivery) => delivery.body.event).sort()).toEqual(wanted.map((event) => event.type).sort());
    expect(arrived.every((delivery) => delivery.verifiedWith === 'config')).toBe(true);
  });

  it('a dispatch webhookUrl/webhookSecret replaces it for that run, eventTypes included', async () => {
    const { executionId } = await dispatch(api, {
      definitionId,
      webhookUrl: `${receiver.url}dispatch-target`,
      webhookSecret: DISPATCH_SECRET,
    });
    await waitForTerminal(api, executionId);
    const external = await allEvents(api, executionId);
    const arrived = await eventually(
      () => Promise.resolve(ofRun(executionId)),
      (found) => found.length >= external.length,
      20_000,
    );
    expect(arrived.map((delivery) => delivery.body.event).sort()).toEqual(external.map((event) => event.type).sort());
    expect(arrived.every((delivery) => delivery.verifiedWith === 'dispatch')).toBe(true);
  });

  it('a partial update keeps it; an update with webhookConfig null removes it', async () => {
    const renamed = ok(await api.post('definitions/update', { definitionId, ifVersion: 1, name: 'Renamed' }));
    expect(renamed).not.toHaveProperty('webhookConfig');
    const kept = (await dispatch(api, { definitionId })).executionId;
    await waitForTerminal(api, kept);
    await eventually(
      () => Promise.resolve(ofRun(kept)),
      (found) => found.some((delivery) => delivery.body.event === 'execution.completed'),
      20_000,
    );
    ok(await api.post('definitions/update', { definitionId, ifVersion: 2, webhookConfig: null }));
    const removed = (await dispatch(api, { definitionId })).executionId;
    await waitForTerminal(api, removed);
    // A run with a target finishes its workflow only after its deliveries settled; this one has none.
    const described = await engine.client.workflow.getHandle(`approval-exec/${engine.workspaceIdA}/${removed}`).result();
    expect(described).toMatchObject({ status: 'completed' });
    expect(ofRun(removed)).toEqual([]);
  });
});
