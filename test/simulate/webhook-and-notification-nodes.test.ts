import { describe, expect, it } from 'vitest';
import { ScenarioError } from 'approval-engine/testkit';
import { useSimulator } from '../support/simulator';

/*
 * Webhook and notification nodes on the simulator (docs/simulate.md): their answers come from the
 * scenario, nothing leaves the machine, and failure edges and async callbacks play out in virtual time.
 */
const failed = JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'failed'] });
const completed = JSON.stringify({ op: 'eq', args: [{ var: 'step.status' }, 'completed'] });

const definition = (mode: 'sync' | 'async') => ({
  definitionId: `hooks-${mode}`,
  name: `Webhook and notification nodes (${mode})`,
  nodes: [
    { nodeId: 'check-links', type: 'webhook', config: { url: 'https://links.example.com/check', authMode: 'none', mode } },
    { nodeId: 'tell-editor', type: 'notification', config: { channel: 'email', recipients: ['editor@example.com'], bodyTemplate: 'done' } },
    { nodeId: 'fix-links', type: 'agent', config: { agentId: '__mock__' } },
    { nodeId: 'page-oncall', type: 'agent', config: { agentId: '__mock__' } },
  ],
  edges: [
    { from: 'check-links', to: 'tell-editor', when: completed },
    { from: 'check-links', to: 'fix-links', when: failed },
    { from: 'tell-editor', to: 'page-oncall', when: failed },
  ],
});

const stepOf = (view: { steps: Array<{ nodeId: string }> }, nodeId: string) => view.steps.find((step) => step.nodeId === nodeId) as any;

const simulator = useSimulator();

describe('webhook and notification nodes on the simulator', () => {
  it('answers a webhook node with the scripted response and sends the notification (defaults: 200, sent)', async () => {
    const scripted = await simulator().run(definition('sync'), {
      webhooks: { 'check-links': { outcome: 'success', status: 201, body: { broken: 0 } } },
      expect: { status: 'completed', steps: { 'check-links': 'completed', 'tell-editor': 'completed' } },
    });
    expect(scripted.failures).toEqual([]);
    expect(stepOf(scripted.view, 'check-links').output).toMatchObject({ httpStatus: 201, responseJson: { broken: 0 } });
    expect(stepOf(scripted.view, 'tell-editor').output).toMatchObject({ channel: 'email', simulated: true });
    expect(stepOf(scripted.view, 'fix-links')).toBeUndefined();

    const unscripted = await simulator().run(definition('sync'), { expect: { status: 'completed' } });
    expect(unscripted.failures).toEqual([]);
    expect(stepOf(unscripted.view, 'check-links').output).toMatchObject({ httpStatus: 200, responseText: '' });
  });

  it('routes scripted failures along the failure edges', async () => {
    const result = await simulator().run(definition('sync'), {
      webhooks: { 'check-links': [{ outcome: 'success' }] },
      notifications: { 'tell-editor': { outcome: 'failure', message: 'mailbox full' } },
      expect: { steps: { 'tell-editor': 'failed', 'page-oncall': 'completed' } },
    });
    expect(result.failures).toEqual([]);
    expect(stepOf(result.view, 'tell-editor').error).toMatchObject({ code: 'notification-email-undelivered', message: 'mailbox full' });

    const down = await simulator().run(definition('sync'), {
      webhooks: { 'check-links': { outcome: 'failure', status: 503 } },
      expect: { steps: { 'check-links': 'failed', 'fix-links': 'completed' } },
    });
    expect(down.failures).toEqual([]);
    expect(stepOf(down.view, 'check-links').error).toMatchObject({ code: 'webhook-node-http-status' });
    expect(stepOf(down.view, 'tell-editor')).toBeUndefined();
  });

  it('keeps an async node waiting until the scripted callback, in virtual time', async () => {
    const result = await simulator().run(definition('async'), {
      steps: [{ at: '2h', callback: { node: 'check-links', status: 'completed', output: { broken: 2 } } }],
      expect: { status: 'completed', steps: { 'check-links': 'completed', 'tell-editor': 'completed' } },
    });
    expect(result.failures).toEqual([]);
    expect(result.actions).toEqual([
      expect.objectContaining({ description: 'callback (completed) for check-links', outcome: expect.objectContaining({ ok: true }) }),
    ]);
    expect(stepOf(result.view, 'check-links').output).toMatchObject({ broken: 2 });
    const completed = result.events.find((event) => event.type === 'step.completed' && event.nodeId === 'check-links')!;
    expect(completed.atMs).toBeGreaterThanOrEqual(2 * 60 * 60 * 1000);

    const waiting = await simulator().run(definition('async'), { runUntil: '1d', expect: { steps: { 'check-links': 'waiting' } } });
    expect(waiting.failures).toEqual([]);
    expect(waiting.view.status).toBe('running');
  });

  it('refuses a scripted webhook status outside its outcome, naming the field', async () => {
    await expect(simulator().run(definition('sync'), { webhooks: { 'check-links': { outcome: 'success', status: 404 } } })).rejects.toThrow(
      ScenarioError,
    );
    await expect(simulator().run(definition('sync'), { webhooks: { 'check-links': { outcome: 'success', status: 404 } } })).rejects.toThrow(
      'scenario.webhooks.check-links[0].status: Too big: expected number to be <=299',
    );
  });
});
